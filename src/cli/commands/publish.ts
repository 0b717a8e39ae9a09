import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { branchToPush, recordBumps } from '../../pipeline/commit-bump.js';
import { chartsOutput, matrixOutput, pushedCount } from '../../pipeline/outputs.js';
import { publish } from '../../pipeline/publish.js';
import { planShards, shardOutcomeText } from '../../pipeline/shards.js';
import { resolveSettings } from '../../pipeline/settings.js';
import { applyVersioningConfig } from '../../pipeline/settings-versioning.js';
import { preparePolicy } from '../../pipeline/policy.js';
import { renderPolicyText } from '../../report/policy.js';
import { renderSummary } from '../../report/index.js';
import { dryRunLine } from '../../report/results.js';
import { renderPlan } from '../../report/plan-text.js';
import { parseCommand } from '../args.js';
import { repositoryConfig } from '../config-file.js';
import type { CliIO } from '../io.js';
import { cliAttestSettings } from '../attest.js';
import { stderrLog } from '../log.js';
import type { Log } from '../../pipeline/log.js';
import { ciSystem, type CiSystem } from '../ci.js';
import { ciEvent, namedBranch, readRawSettings, settingFlags } from '../settings.js';
import { cliRunKind, commentReleased, releasedAsWritten, releasePrCommand } from '../release-mode.js';

const HELP = `usage: chartship publish [options]

Plans, packages, signs and pushes every changed chart, then prints the digests. Every option can also be set as an
environment variable CHARTSHIP_<NAME> (e.g. CHARTSHIP_PASSWORD), which keeps secrets out of the command line
(a flag wins; --no-FLAG sets one false).

  --registry TARGET         oci://HOST[:PORT]/NAMESPACE or oci-layout:DIR (repeatable)
  --username USER           registry user for the first registry's host (default: docker/helm credential files)
  --password-stdin          read the registry password from standard input
  --registry-auth-file FILE logins per registry host, one HOST=USERNAME:PASSWORD per line (or CHARTSHIP_REGISTRY_AUTH)
  --registry-tls HOST=OPTS  TLS per registry host (repeatable): plain-http, insecure-skip-tls-verify, ca-file=F,
                            cert-file=F, key-file=F, comma-separated
  --create-repositories     ECR: create a chart's repository when it does not exist (AWS credential chain)
  --charts GLOB             chart directories (repeatable; default charts/*)
  --exclude NAME            chart name or path glob to leave out (repeatable)
  --skip-deprecated         leave out deprecated charts
  --base REF                compare against REF (default: the CI's range, else each chart's last release tag)
  --head REF                last commit to look at (default HEAD)
  --version-bump MODE       conventional (default) or none
  --prerelease ID           e.g. rc: 1.3.0-rc.0, then 1.3.0-rc.1
  --other-types MODE        non-release commit types that change a chart: patch (default) or none
  --app-version MODE        keep (default), follow (the chart version), or value:TEXT
  --bump-minor-pre-major    below 1.0.0 a breaking change bumps the minor (the default)
  --bump-patch-for-minor-pre-major
                            below 1.0.0 a feature bumps the patch
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
  --mode MODE               publish (default), release-pr or auto: open or update a release pull request
                            instead, and publish it once merged (CHARTSHIP_GITHUB_TOKEN or GITHUB_TOKEN, and
                            GITHUB_REPOSITORY=OWNER/REPO; GITHUB_API_URL for GitHub Enterprise Server)
  --release-pr single|per-chart
  --release-branch BRANCH   default chartship/release
  --classic-index DIR|gh-pages
                            also keep a classic index.yaml (with the archives) of every published version there;
                            gh-pages commits it to that branch of origin and pushes it
  --classic-index-url URL   the URL that directory or branch is served from (default: relative urls)
  --dry-run                 plan and report only
  --overwrite               replace tags that hold different content
  --fail-fast               stop at the first failing chart
  --policy MODE             chart policy: off, warn (default: report findings) or enforce (failing charts are not
                            published; the others are)
  --policy-allowed-registries HOST
                            image registries charts may pull from (repeatable; no-external-registry)
  --config FILE             configuration file (default: .chartship.yaml at the root of the repository)
  --plain-http, --ca-file FILE, --insecure-skip-tls-verify
  --summary-file FILE       write the markdown summary there too
  --shards N                with --json: the charts to publish as dependency waves of at most N shards each
  --wave W --shard I/N      publish only shard I of N of dependency wave W (plan --shards N lists them)
  --outcome-file FILE       write the outcome as JSON there, for chartship merge (with --shard)
  --cwd DIR                 repository to publish from (default: .)
  --json                    print the outcome as JSON
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand(
    {
      name: 'publish',
      help: HELP,
      positionals: { min: 0, max: 0, what: 'no arguments' },
      options: {
        ...settingFlags(),
        'password-stdin': { type: 'boolean' },
        'oidc-token-env': { type: 'string' },
        'summary-file': { type: 'string' },
        head: { type: 'string' },
        config: { type: 'string' },
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

  const raw = await readRawSettings(values, io);
  const event = ciEvent(io.env, cwd);
  const settings = resolveSettings(raw, event);
  const config = await repositoryConfig(io, cwd, values['config'] as string | undefined);
  settings.publish.policy = preparePolicy(settings.publish.policy, config, io.env);
  applyVersioningConfig(settings, config);
  const head = values['head'] as string | undefined;
  if (head !== undefined) settings.publish.head = head;
  const log = stderrLog(io);
  for (const notice of settings.notices) log.warning(notice.message, { field: notice.field });
  sayWhyOnlyPlanned(ciSystem(io.env), raw['dry-run'] === undefined, settings.publish.dryRun === true, log);
  const cli = await cliRunKind(settings, io, cwd, event, log);
  if (cli.run.kind === 'release-pr') return releasePrCommand(cli, settings, io, Boolean(values['json']), log);
  const attest = settings.publish.dryRun ? undefined : cliAttestSettings(settings, io.env, values['oidc-token-env'] as string | undefined);
  const started = new Date();
  const branch = namedBranch(io.env);
  const outcome = await publish({ ...settings.publish, ...releasedAsWritten(cli, settings), ...(branch ? { branch } : {}), attest, onPlan: (plan, others) => io.stderr(`${renderPlan(plan, [], others)}
`) }, log);
  await commentReleased(cli, outcome, log);
  const { shard } = settings.publish;
  if (settings.outcomeFile && shard) {
    await writeFile(resolve(io.cwd, settings.outcomeFile), shardOutcomeText(shard, outcome, started));
  }
  // Outside GitHub there is no repository to link to: the plan table and the digest table say it all.
  const policyText = outcome.policy ? `\n${renderPolicyText(outcome.policy)}` : '';
  const summary = outcome.dryRun ? `${renderPlan(outcome.plan)}\n${dryRunLine(outcome.results)}\n${policyText}` : renderSummary(outcome.results, { serverUrl: '', repository: '' }, outcome.policy);
  const summaryFile = values['summary-file'] as string | undefined;
  if (summaryFile) await writeFile(resolve(io.cwd, summaryFile), summary);

  if (values['json']) {
    io.stdout(`${JSON.stringify({ dryRun: outcome.dryRun, charts: chartsOutput(outcome.results), pushed: pushedCount(outcome.results), matrix: matrixOutput(outcome.plan), ...(settings.shards ? { shards: planShards(outcome.plan, settings.shards) } : {}), ...(outcome.policy ? { policy: outcome.policy } : {}) }, null, 2)}\n`);
  } else if (io.oneOutput?.()) {
    // The log printed the plan and each finding where this goes too (a terminal, a CI log): once is enough.
    const count = outcome.policy ? renderPolicyText(outcome.policy, { findings: false }) : '';
    io.stdout(outcome.dryRun ? `${count}${dryRunLine(outcome.results)}\n` : `${renderSummary(outcome.results, { serverUrl: '', repository: '' })}\n${count && `\n${count}`}`);
  } else {
    io.stdout(`${summary}\n`);
  }
  // After the report: a bump commit that cannot be pushed fails the run, but the charts it published are reported.
  // A shard leaves the bumps to the merge (chartship merge --commit-bump): its own commit would race the others'.
  if (!shard) await recordBumps(outcome, {
    commitBump: settings.commitBump,
    cwd,
    branch: () => branchToPush(namedBranch(io.env), cwd),
    tagged: false,
    remedy: `pass --commit-bump, or tag each release as ${settings.tagTemplate}`,
    log,
  });
  return outcome.results.some((r) => r.status === 'failed') || outcome.classicIndex?.error ? 1 : 0;
}

/** A pipeline of a pull request plans only, as a pull_request workflow does: the log says so, and how to override it. */
function sayWhyOnlyPlanned(ci: CiSystem | undefined, byDefault: boolean, dryRun: boolean, log: Log): void {
  if (!ci?.changeRequest) return;
  if (byDefault) log.info(`${ci.name} runs this for ${ci.changeRequest}: planning only, since publishing unmerged code would release what was never merged (--no-dry-run publishes anyway)`);
  else if (!dryRun) log.warning(`${ci.name} runs this for ${ci.changeRequest}, and dry-run is false: publishing unmerged code`, { field: 'dry-run' });
}
