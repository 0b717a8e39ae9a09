import { readFileSync } from 'node:fs';
import { ChartshipError } from '../model/errors.js';
import type { AttestSettings } from '../pipeline/attest.js';
import { actionsIdToken, runnerSigner } from '../pipeline/id-token.js';
import type { RunSettings } from '../pipeline/settings.js';

/** Where the CLI finds an OIDC ID token, first match wins. */
interface TokenSource {
  what: string;
  idToken: () => Promise<string>;
  /** In a variable: reading it asks nothing of the network. */
  atHand?: boolean;
}

/**
 * The CLI attests only when asked (--attest or CHARTSHIP_ATTEST=true). The ID token comes from the variable
 * --oidc-token-env names (e.g. a GitLab `id_tokens:` entry), else SIGSTORE_ID_TOKEN (cosign's convention), else
 * GitHub Actions' token endpoint when the job grants `id-token: write`.
 */
export function cliAttestSettings(settings: RunSettings, env: NodeJS.ProcessEnv, tokenEnv: string | undefined): AttestSettings | undefined {
  if (settings.attest.enabled !== true) return undefined;
  // Without one the run fails only when it has something to sign (asking for it, before anything is published).
  const source = tokenSource(env, tokenEnv) ?? {
    what: '',
    idToken: () =>
      Promise.reject(
        new ChartshipError('--attest needs an OIDC identity token', {
          field: 'attest',
          code: 'OIDC_TOKEN_MISSING',
          hint: 'put the CI job\'s ID token (audience sigstore) in SIGSTORE_ID_TOKEN or name its variable with --oidc-token-env VAR; on GitHub Actions grant `id-token: write`',
        }),
      ),
  };
  const github = env['GITHUB_ACTIONS'] === 'true' ? githubRun(env) : undefined;
  const gitlab = env['GITLAB_CI'] ? { serverUrl: env['CI_SERVER_URL'] ?? '', repositoryUrl: env['CI_PROJECT_URL'], ref: env['CI_COMMIT_REF_NAME'], runUrl: env['CI_JOB_URL'] } : undefined;
  const run = github ?? gitlab;
  const fromActions = source.what === 'ACTIONS_ID_TOKEN_REQUEST_URL';
  return {
    idToken: source.idToken,
    ...(source.atHand ? { tokenAtHand: true } : {}),
    ...(github ? { signer: runnerSigner(env, github.serverUrl, settings.attest.signingConfigFile !== undefined) } : {}),
    // GitHub's instance only certifies GitHub Actions tokens; as @actions/attest, private repositories use it.
    sigstore: settings.attest.sigstore ?? (fromActions && github?.visibility !== 'public' ? 'github' : 'public-good'),
    signingConfigFile: settings.attest.signingConfigFile,
    trustedRootFile: settings.attest.trustedRootFile,
    context: {
      serverUrl: run?.serverUrl ?? '',
      ...(run?.repositoryUrl ? { repositoryUrl: run.repositoryUrl } : {}),
      ...(run?.ref ? { ref: run.ref } : {}),
      ...(run?.runUrl ? { runUrl: run.runUrl } : {}),
    },
  };
}

function tokenSource(env: NodeJS.ProcessEnv, tokenEnv: string | undefined): TokenSource | undefined {
  if (tokenEnv !== undefined) {
    const value = env[tokenEnv]?.trim();
    if (!value) throw new ChartshipError(`--oidc-token-env names ${tokenEnv}, which is not set`, { field: 'oidc-token-env', code: 'OIDC_TOKEN_MISSING' });
    return { what: tokenEnv, idToken: () => Promise.resolve(value), atHand: true };
  }
  const sigstore = env['SIGSTORE_ID_TOKEN']?.trim();
  if (sigstore) return { what: 'SIGSTORE_ID_TOKEN', idToken: () => Promise.resolve(sigstore), atHand: true };
  const url = env['ACTIONS_ID_TOKEN_REQUEST_URL'];
  const bearer = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
  if (url && bearer) return { what: 'ACTIONS_ID_TOKEN_REQUEST_URL', idToken: () => actionsIdToken(url, bearer, env) };
  return undefined;
}

function githubRun(env: NodeJS.ProcessEnv): { serverUrl: string; repositoryUrl?: string; ref?: string; runUrl?: string; visibility?: string } {
  const serverUrl = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
  const repository = env['GITHUB_REPOSITORY'];
  const runId = env['GITHUB_RUN_ID'];
  let visibility: string | undefined;
  try {
    visibility = (JSON.parse(readFileSync(env['GITHUB_EVENT_PATH'] ?? '', 'utf8')) as { repository?: { visibility?: string } }).repository?.visibility;
  } catch {
    visibility = undefined;
  }
  return {
    serverUrl,
    ...(repository ? { repositoryUrl: `${serverUrl}/${repository}` } : {}),
    ...(env['GITHUB_REF'] ? { ref: env['GITHUB_REF'] } : {}),
    ...(repository && runId ? { runUrl: `${serverUrl}/${repository}/actions/runs/${runId}` } : {}),
    ...(visibility ? { visibility } : {}),
  };
}
