import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createGit } from '../../changes/git.js';
import { commitReleasedBumps, warnForgottenBumps } from '../../pipeline/commit-bump.js';
import { chartsOutput, matrixOutput, pushedCount } from '../../pipeline/outputs.js';
import { publish } from '../../pipeline/publish.js';
import { SETTINGS, resolveSettings, type EventContext, type RawSettings, type SettingName } from '../../pipeline/settings.js';
import { renderSummary } from '../../report/index.js';
import { renderPlan } from '../../report/plan-text.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';
import { stderrLog } from '../log.js';
import { cliAttestSettings } from '../attest.js';

const HELP = `usage: chartship publish [options]

Plans, packages, signs and pushes every changed chart, then prints the digests. Every option can also be set as an
environment variable CHARTSHIP_<NAME> (e.g. CHARTSHIP_PASSWORD), which keeps secrets out of the command line.

  --registry TARGET         oci://HOST[:PORT]/NAMESPACE or oci-layout:DIR (repeatable)
  --username USER           registry user (default: docker/helm credential files)
  --password-stdin          read the registry password from standard input
  --charts GLOB             chart directories (repeatable; default charts/*)
  --exclude NAME            chart name or path glob to leave out (repeatable)
  --skip-deprecated         leave out deprecated charts
  --base REF                compare against REF (default: the CI's range, else each chart's last release tag)
  --version-bump MODE       conventional (default) or none
  --prerelease ID           e.g. rc: 1.3.0-rc.0, then 1.3.0-rc.1
  --sign-key-file FILE      armored OpenPGP private key: sign every chart (.prov pushed as an OCI layer)
  --sign-key-passphrase-file FILE
  --attest                  sign every pushed chart keylessly with Sigstore (SLSA provenance, stored beside the
                            chart in each registry); needs an OIDC ID token: see --oidc-token-env
  --oidc-token-env VAR      the variable holding the ID token (default SIGSTORE_ID_TOKEN, else the GitHub
                            Actions token endpoint when the job grants id-token: write)
  --sigstore INSTANCE       public-good (default) or github (GitHub's instance for private repositories)
  --sigstore-signing-config FILE, --sigstore-trusted-root FILE
                            another Sigstore instance (a SigningConfig and its TrustedRoot, as cosign takes them)
  --release-tag-template T  default {name}-{version} (also how each chart's last release tag is found)
  --commit-bump             commit the Chart.yaml bumps and push them to the branch (after a full success)
  --dry-run                 plan and report only
  --overwrite               replace tags that hold different content
  --fail-fast               stop at the first failing chart
  --plain-http, --ca-file FILE, --insecure-skip-tls-verify
  --summary-file FILE       write the markdown summary there too
  --cwd DIR                 repository to publish from (default: .)
  --json                    print the outcome as JSON
`;

/** CI systems other than GitHub Actions describe the range in their own variables. */
function ciEvent(env: NodeJS.ProcessEnv, cwd: string): EventContext {
  if (env['GITLAB_CI']) {
    const mergeRequest = env['CI_PIPELINE_SOURCE'] === 'merge_request_event';
    return {
      eventName: mergeRequest ? 'pull_request' : 'push',
      sha: env['CI_COMMIT_SHA'] ?? 'HEAD',
      base: mergeRequest ? env['CI_MERGE_REQUEST_DIFF_BASE_SHA'] : env['CI_COMMIT_BEFORE_SHA'],
      cwd,
    };
  }
  if (env['JENKINS_URL'] && env['GIT_PREVIOUS_SUCCESSFUL_COMMIT']) {
    return { eventName: 'push', sha: env['GIT_COMMIT'] ?? 'HEAD', base: env['GIT_PREVIOUS_SUCCESSFUL_COMMIT'], cwd };
  }
  return { sha: 'HEAD', cwd };
}

/** The branch to push a version bump to: CI systems check out a detached HEAD and name the branch in a variable. */
async function currentBranch(env: NodeJS.ProcessEnv, cwd: string): Promise<string | undefined> {
  const named = env['CI_COMMIT_BRANCH'] || env['BRANCH_NAME'] || env['GIT_BRANCH']?.replace(/^origin\//, '');
  if (named) return named;
  const head = await createGit(cwd).run(['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFailure: true });
  return head.code === 0 ? head.stdout.trim() : undefined;
}

/** The commit published, as a full SHA (the CI's, or HEAD resolved). */
async function headCommit(cwd: string, sha: string): Promise<string | undefined> {
  if (/^[0-9a-f]{40}$/.test(sha)) return sha;
  const head = await createGit(cwd).run(['rev-parse', '--verify', '--quiet', `${sha}^{commit}`], { allowFailure: true });
  return head.code === 0 ? head.stdout.trim() : undefined;
}

const fileSettings = { 'sign-key': 'sign-key-file', 'sign-key-passphrase': 'sign-key-passphrase-file' } as const;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const flagOptions: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(SETTINGS)) {
    if (spec.secret || ('githubOnly' in spec && spec.githubOnly)) continue;
    flagOptions[name] = { type: spec.kind === 'boolean' ? 'boolean' : 'string', multiple: spec.kind === 'list' };
  }
  for (const flag of Object.values(fileSettings)) flagOptions[flag] = { type: 'string' };
  const parsed = parseCommand(
    {
      name: 'publish',
      help: HELP,
      positionals: { min: 0, max: 0, what: 'no arguments' },
      options: {
        ...flagOptions,
        'password-stdin': { type: 'boolean' },
        'oidc-token-env': { type: 'string' },
        'summary-file': { type: 'string' },
        cwd: { type: 'string' },
        json: { type: 'boolean' },
      },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const cwd = resolve(io.cwd, (values['cwd'] as string | undefined) ?? '.');

  // Flags win over CHARTSHIP_* variables; secrets come only from variables, files or stdin.
  const raw: RawSettings = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const flag = values[name];
    const fromFlag = Array.isArray(flag) ? flag.join('\n') : typeof flag === 'boolean' ? String(flag) : flag;
    raw[name] = (fromFlag as string | undefined) ?? io.env[`CHARTSHIP_${name.toUpperCase().replaceAll('-', '_')}`];
  }
  for (const [setting, flag] of Object.entries(fileSettings)) {
    const file = values[flag] as string | undefined;
    if (file) raw[setting as SettingName] = (await readFile(resolve(io.cwd, file), 'utf8')).trim();
  }
  if (values['password-stdin']) raw.password = (await io.readStdin()).toString('utf8').trim();
  // Files named on the command line are relative to where the command runs, as --sign-key-file is.
  for (const name of ['sigstore-signing-config', 'sigstore-trusted-root'] as const) if (raw[name]) raw[name] = resolve(io.cwd, raw[name]);

  const settings = resolveSettings(raw, ciEvent(io.env, cwd));
  const log = stderrLog(io);
  const commit = settings.attest.enabled ? await headCommit(cwd, settings.sha) : undefined;
  const attest = settings.publish.dryRun ? undefined : cliAttestSettings(settings, io.env, values['oidc-token-env'] as string | undefined, commit);
  const outcome = await publish({ ...settings.publish, attest, onPlan: (plan) => io.stderr(`${renderPlan(plan)}\n`) }, log);
  if (settings.commitBump) await commitReleasedBumps(outcome, { cwd, branch: await currentBranch(io.env, cwd), log });
  warnForgottenBumps(outcome, {
    commitBump: settings.commitBump,
    tagged: false,
    remedy: `pass --commit-bump, or tag each release as ${settings.tagTemplate}`,
    log,
  });
  // Outside GitHub there is no repository to link to: the plan table and the digest table say it all.
  const summary = outcome.dryRun ? renderPlan(outcome.plan) : renderSummary(outcome.results, { serverUrl: '', repository: '' });
  const summaryFile = values['summary-file'] as string | undefined;
  if (summaryFile) await writeFile(resolve(io.cwd, summaryFile), summary);

  if (values['json']) {
    io.stdout(`${JSON.stringify({ dryRun: outcome.dryRun, charts: chartsOutput(outcome.results), pushed: pushedCount(outcome.results), matrix: matrixOutput(outcome.plan) }, null, 2)}\n`);
  } else {
    io.stdout(`${summary}\n`);
  }
  return outcome.results.some((r) => r.status === 'failed') ? 1 : 0;
}
