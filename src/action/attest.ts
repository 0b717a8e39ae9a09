import * as core from '@actions/core';
import { ChartshipError } from '../model/errors.js';
import type { AttestationRecorder, AttestSettings } from '../pipeline/attest.js';
import { actionsIdToken, runnerSigner } from '../pipeline/id-token.js';
import type { RunSettings } from '../pipeline/settings.js';
import type { RunnerContext } from './context.js';

/**
 * Whether and how the action attests: by default when the workflow grants `id-token: write` (the runner then sets
 * ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN); GitHub's Sigstore instance for private and internal repositories and
 * Sigstore's public-good instance for public ones, as @actions/attest chooses. Says in the log when it is off, and why.
 */
export function actionAttestSettings(settings: RunSettings, env: NodeJS.ProcessEnv, context: RunnerContext, recorder: AttestationRecorder | undefined): AttestSettings | undefined {
  const hasToken = Boolean(env['ACTIONS_ID_TOKEN_REQUEST_URL'] && env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
  const { enabled } = settings.attest;
  if (enabled === false) {
    core.info('Attestations: off (attest: false).');
    return undefined;
  }
  // A dry run signs nothing, and pull requests from forks never get an ID token: only a publishing run that signs
  // something fails without one (when it asks for it, before anything is published).
  if (!hasToken && (enabled !== true || settings.publish.dryRun)) {
    core.info('Attestations: off, because the workflow does not grant `id-token: write`. Add `permissions: id-token: write` and `attestations: write` to sign every chart keylessly, or set attest: false to say so.');
    return undefined;
  }
  // GitHub Enterprise Server has neither GitHub's Sigstore instance nor the attestations API (github.com and GHE.com
  // have both): a GHES job granting id-token: write for another login (AWS's, for ECR) would fail every chart after its
  // push. Only another Sigstore instance the workflow names can sign there, with nothing recorded in GitHub.
  const ghes = !hasGitHubAttestations(context.serverUrl);
  const otherInstance = settings.attest.signingConfigFile !== undefined;
  if (ghes && !otherInstance) {
    const why = `GitHub Enterprise Server (${context.serverUrl}) has no artifact attestations`;
    if (enabled === true) {
      throw new ChartshipError(why, { field: 'attest', code: 'ATTESTATIONS_UNAVAILABLE', hint: 'name another Sigstore instance (sigstore-signing-config and sigstore-trusted-root), or set attest: false' });
    }
    core.info(`Attestations: off, because ${why}. Name another Sigstore instance (sigstore-signing-config, sigstore-trusted-root) to attest, or set attest: false to say so.`);
    return undefined;
  }
  if (settings.publish.dryRun) return undefined;
  const sigstore = settings.attest.sigstore ?? (context.repositoryVisibility === 'public' ? 'public-good' : 'github');
  return {
    idToken: async () => {
      if (!hasToken) {
        throw new ChartshipError('needs an OIDC token, and the workflow does not grant one', {
          field: 'attest',
          code: 'OIDC_TOKEN_MISSING',
          hint: 'add `permissions: id-token: write` (and `attestations: write`) to the job',
        });
      }
      const token = await actionsIdToken(env['ACTIONS_ID_TOKEN_REQUEST_URL']!, env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']!, env);
      core.setSecret(token);
      return token;
    },
    signer: runnerSigner(env, context.serverUrl, otherInstance),
    sigstore,
    signingConfigFile: settings.attest.signingConfigFile,
    trustedRootFile: settings.attest.trustedRootFile,
    context: {
      serverUrl: context.serverUrl,
      repositoryUrl: context.repository ? `${context.serverUrl}/${context.repository}` : undefined,
      ref: env['GITHUB_REF'] || undefined,
      commit: context.sha,
      runUrl: context.runUrl,
    },
    recorder: ghes ? undefined : recorder,
    repository: context.repository || undefined,
  };
}

/** github.com and GHE.com (data residency, `TENANT.ghe.com`) sign with GitHub's Sigstore and keep attestations. */
function hasGitHubAttestations(serverUrl: string): boolean {
  const host = URL.canParse(serverUrl) ? new URL(serverUrl).hostname : '';
  return host === 'github.com' || host.endsWith('.ghe.com');
}
