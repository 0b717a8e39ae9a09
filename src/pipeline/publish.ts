import { ChartshipError, describeError } from '../model/errors.js';
import { parseHelmVersion } from '../model/helm-semver.js';
import type { TargetOptions } from '../oci/index.js';
import { tagForVersion, type ChartTarget, type PushResult } from '../helm-oci/index.js';
import { isPublished } from './outputs.js';
import { attachChangelogNotes } from './release-notes.js';
import type { GitHubClient } from './github.js';
import { signChart, type Signer } from '../sign/index.js';
import { AttestationIncomplete, openAttester, type Attester, type AttestSettings } from './attest.js';
import { loadSigner } from './signing.js';
import { withHeldProv } from './held-prov.js';
import { bufferLog } from './buffer-log.js';
import { describeIn, located } from './error-location.js';
import type { ClassicIndexOptions, ClassicIndexOutcome, IndexedChart } from './classic-index.js';
import { publishClassicIndex } from './classic-index-publish.js';
import type { Log } from './log.js';
import { applyPlanEdits } from './plan-edits.js';
import { putBack } from '../model/bumped-files.js';
import { notePushed } from '../model/stopped-run.js';
import { unrecordedRelease } from './plan-published.js';
import { describeInvalid } from '../report/plan-text.js';
import { listings } from './plan-held.js';
import { planForPublish, type PublishPlanOptions } from './publish-plan.js';
import { chartPacker, type PackChart } from './packer.js';
import { policyBlocks, refusal, startPolicyOfPlan, type PolicyCheck, type PolicyRun } from './policy.js';
import type { PolicyReport } from '../model/policy.js';
import { chartsOfShard, type ShardSpec } from './shards.js';
import { runGraph, type GraphOutcome } from './schedule.js';
import { checkTargetsWritable, dependencyAccess, openTargets, partialMessage } from './targets.js';
import type { ChartAttestation, ChartPlan, ChartResult, InvalidChart, Plan, RegistryResult } from '../model/plan.js';

export interface PublishOptions extends PublishPlanOptions {
  target?: TargetOptions;
  signKey?: { armoredKey: string; passphrase?: string };
  /**
   * Leave the bumped Chart.yaml files in the work tree after the run (to commit them). Otherwise the charts are
   * packaged from the bumped files and the work tree is put back as it was, so the next run does not mistake a
   * leftover bump for a version set by hand.
   */
  writeBumps?: boolean;
  failFast?: boolean;
  /** Charts packaged and pushed at once (default 16). */
  concurrency?: number;
  releases?: { client: GitHubClient; tagTemplate: string; sha: string; makeLatest?: boolean; render: (result: ChartResult) => string };
  /**
   * Called with the plan before anything is written or pushed, to show it; a shard's run gives its own charts only,
   * and how many the plan publishes in other shards and waves.
   */
  onPlan?: (plan: Plan, others?: number) => void;
  /** Where downloaded https:// and oci:// dependencies are kept between runs. */
  dependencyCacheDir?: string;
  /** Pinned archive time; default: SOURCE_DATE_EPOCH, else each chart's last commit (the packager decides). */
  sourceDate?: Date;
  /** The chart policy the charts to release are checked against (none when absent or `off`). */
  policy?: PolicyRun;
  /** Keep a classic index.yaml of every published version up to date too (for `helm repo add` users). */
  classicIndex?: ClassicIndexOptions;
  /** Publish only this shard's charts of the plan (see shards.ts); the others are reported as planned. */
  shard?: ShardSpec;
  /** Keyless Sigstore attestations for every chart pushed. */
  attest?: AttestSettings;
}

/** What releasing one chart gives: where it went, and the attestation made for it. */
interface Released {
  registries: RegistryResult[];
  attestation?: ChartAttestation;
  /** A chart published only for being unpublished, left for a later run (see ChartPlan.firstPublication). */
  leftOut?: true;
}

export interface PublishOutcome {
  plan: Plan;
  results: ChartResult[];
  dryRun: boolean;
  /** Chart.yaml files rewritten with the new versions. */
  written: string[];
  requests: number;
  /** The policy's findings on the charts to release, when a policy was applied. */
  policy?: PolicyReport;
  /** What the classic index update did, or why it failed (the charts are published either way). */
  classicIndex?: ClassicIndexOutcome & { error?: string };
}

/**
 * Charts are small: a chart's push is a handful of requests of a few kB, each waiting on the registry far longer
 * than on this process, so many charts go at once (4 left a run idle half of its time).
 */
const CONCURRENCY = 16;

export function releaseTag(template: string, name: string, version: string): string {
  return template.replaceAll('{name}', name).replaceAll('{version}', version);
}

/**
 * One run: plan, then (unless dry run) write the version bumps, package, sign and push every chart to be released
 * in dependency order, then create GitHub releases for the charts whose every push succeeded.
 */
export async function publish(options: PublishOptions, log: Log): Promise<PublishOutcome> {
  if (options.targets.length === 0) throw new ChartshipError('no registry given', { field: 'registry', hint: 'e.g. oci://ghcr.io/OWNER/charts' });
  // What a registry client does on the user's behalf (a repository created, a fallback login) goes to the log.
  const targetOptions: TargetOptions = { onNotice: (message) => log.info(message), ...options.target };
  // A dry run pushes nothing, so its reads ask for no push rights.
  const targets = openTargets(options.targets, { ...targetOptions, pushing: !options.dryRun });
  const dependencies = dependencyAccess(options.targets, targetOptions);
  // Which versions each registry lists, per chart: a version every registry already holds is not checked again.
  const seen = listings();
  const held = (chart: ChartPlan) => targets.every((t) => seen.holds(chart, t));
  try {
    const pack = chartPacker({
      ...(options.git ? { git: options.git } : {}),
      ...(options.sourceDate ? { sourceDate: options.sourceDate } : {}),
      dependencies: { oci: dependencies.oci, download: dependencies.download, indexes: dependencies.indexes, cacheDir: options.dependencyCacheDir },
    });
    const plan = await planForPublish(options, targets, seen, pack, log);
    const shard = options.shard ? chartsOfShard(plan, options.shard) : undefined;
    // A shard shows its own charts, and counts those the plan publishes elsewhere.
    options.onPlan?.(shard ? { ...plan, charts: plan.charts.filter((c) => shard.has(c.name)) } : plan, shard && plan.charts.filter((c) => toPush(c) && !shard.has(c.name)).length);
    for (const chart of plan.invalid) log.error(chart.message, { file: chart.file ?? chart.chartYaml, field: chart.field, line: chart.line, column: chart.column });
    const policyAccess = { dependencies, dependencyCacheDir: options.dependencyCacheDir };
    // The policy checks what this run (this shard) releases. A version every registry lists already is either the
    // same content (checked when it was released; a rerun renders nothing) or other content, which the push refuses.
    const checked = (chart: ChartPlan) => (!shard || shard.has(chart.name)) && !held(chart);
    if (options.dryRun) {
      // A signing key the publish would refuse (a public key, a wrong passphrase) fails the dry run too: on the pull
      // request, not after the merge.
      if (options.signKey) await loadSigner({ ...options.signKey, label: 'sign-key' }, (warning) => log.warning(warning));
      const policy = await (await startPolicyOfPlan(plan, options.policy, checked, policyAccess, log))?.report;
      const blocked = policyBlocks(policy);
      const results = plan.charts.map((c) => {
        const refused = blocked.get(c.name);
        if (!refused) return planned(c, targets);
        if (!c.firstPublication) return { ...planned(c), status: 'failed' as const, error: refused };
        warnNotYet(log, c, refused);
        return { ...planned(c), status: 'skipped' as const };
      });
      return { plan, results: [...results, ...plan.invalid.map(invalidResult)], dryRun: true, written: [], requests: requests(targets), ...(policy ? { policy } : {}) };
    }
    // The push check asks about charts this run changed first: a chart published only for being unpublished may have
    // no repository yet (ECR), which is that chart's own affair (see firstFailure).
    const releasing = plan.charts.filter(toPush).sort((a, b) => Number(a.firstPublication ?? false) - Number(b.firstPublication ?? false)).map((c) => c.name);
    if (releasing.length > 0) await checkTargetsWritable(targets, releasing.slice(0, 2));
    // A broken Sigstore configuration, or a token that cannot be had when something is to be signed, fails here,
    // before anything is published. The provenance names the commit published: the CI's, else the head the plan
    // resolved. This shard's charts only: another shard's are not attested here.
    const attest = options.attest && { ...options.attest, context: { ...options.attest.context, commit: options.attest.context.commit ?? plan.head } };
    const toAttest = plan.charts.flatMap((c) => (c.action !== 'skipped' && (!shard || shard.has(c.name)) ? [{ name: c.name, version: c.nextVersion, held: held(c) }] : []));
    const attester = toAttest.length > 0 && attest ? await openAttester(attest, { charts: toAttest, targets }, log) : undefined;
    const edits = await applyPlanEdits(plan);
    // Put back however the run ends, unless it went through with writeBumps: then they stay, held until committed
    // (commit-bump.ts), which puts them back itself when a chart failed; an interrupt before that puts them back too.
    let keep = false;
    try {
      // helm renders the charts (as bumped) while they are packaged and pushed: an enforced policy holds back each
      // chart until its own verdict, a warning one holds back nothing. Started after the bumps are written, so helm
      // never reads a Chart.yaml being rewritten, and waited for before they are put back.
      const policy = await startPolicyOfPlan(plan, options.policy, checked, policyAccess, log);
      try {
        const released = await releasePlan(plan, edits.map((e) => e.file), targets, pack, policy, shard, attester, options, log);
        const report = await policy?.report;
        keep = options.writeBumps === true;
        return { ...released, ...(report ? { policy: report } : {}) };
      } finally {
        await policy?.report.catch(() => undefined);
      }
    } finally {
      if (!keep) await putBack(edits);
    }
  } finally {
    await Promise.all([...targets.map((t) => t.close()), dependencies.close()]);
  }
}

/** Packages, signs and pushes the charts of a plan whose bumps are in the work tree, then creates the releases. */
async function releasePlan(
  plan: Plan,
  bumped: string[],
  targets: ChartTarget[],
  pack: PackChart,
  policy: PolicyCheck | undefined,
  shard: ReadonlySet<string> | undefined,
  attester: Attester | undefined,
  options: PublishOptions,
  log: Log,
): Promise<PublishOutcome> {
  const signer = options.signKey ? await loadSigner({ ...options.signKey, label: 'sign-key' }, (warning) => log.warning(warning)) : undefined;

  // Charts the plan found already published are pushed too: that costs one request, confirms their digests for
  // the report, and lets a rerun after a failure finish their releases.
  const toRelease = plan.charts.filter((c) => toPush(c) && (!shard || shard.has(c.name)));
  const progress = progressLine(toRelease.length);
  const archives = new Map<string, IndexedChart>();
  const outcomes = await runGraph(
    toRelease.map((chart) => ({
      id: chart.name,
      dependsOn: chart.dependencies,
      run: async (): Promise<Released> => {
        try {
          const verdict = options.policy?.mode === 'enforce' ? await policy?.verdict(chart.name) : undefined;
          const refused = verdict && refusal(verdict, 'enforce');
          if (refused) throw new ChartshipError(refused, { code: 'POLICY_FAILED' });
          const released = await releaseChart(chart, plan, targets, signer, attester, pack, options, log, archives);
          log.info(progress(chart, released.registries));
          return released;
        } catch (error) {
          if (laterFirst(chart, error)) {
            warnNotYet(log, chart, describeIn(error, plan.root));
            log.info(progress(chart, []));
            return { registries: [], leftOut: true };
          }
          log.info(progress(chart, undefined));
          throw error;
        }
      },
    })),
    { limit: Math.max(1, options.concurrency ?? CONCURRENCY), failFast: options.failFast },
  );
  const signedBy = signer ? { fingerprint: signer.fingerprint, ...(signer.userIds[0] ? { userId: signer.userIds[0] } : {}) } : undefined;
  const results = [...plan.charts.map((chart) => resultOf(chart, outcomes.get(chart.name), signedBy, plan.root)), ...plan.invalid.map(invalidResult)];
  if (options.releases && options.asWritten) await attachChangelogNotes(results, plan.root);
  if (options.releases) await createReleases(results, options.releases, log);
  const classicIndex = options.classicIndex ? await publishClassicIndex(results, archives, options, log) : undefined;
  return { plan, results, dryRun: false, written: options.writeBumps ? bumped : [], requests: requests(targets), ...(classicIndex ? { classicIndex } : {}) };
}

async function releaseChart(
  chart: ChartPlan,
  plan: Plan,
  targets: ChartTarget[],
  signer: Signer | undefined,
  attester: Attester | undefined,
  pack: PackChart,
  options: PublishOptions,
  log: Log,
  archives: Map<string, IndexedChart>,
): Promise<Released> {
  const chartLog = bufferLog(log);
  try {
    if (chart.missing) return { registries: await copyMissing(chart.name, chart.missing, targets, chartLog) };
    const packaged = await pack(plan, chart);
    chartLog.info(`packaged ${packaged.fileName} sha256:${packaged.sha256}`);
    for (const w of packaged.warnings) chartLog.warning(w.withHint(), { ...w, ...located(w, plan.root) });
    const prov = signer ? Buffer.from(await signChart(signer, packaged)) : undefined;
    if (prov) chartLog.info(`signed by ${signer!.userIds[0] ?? signer!.fingerprint}`);

    // Every registry gets the same bytes; pushes to different registries are independent, so run them together.
    const pushed = await Promise.allSettled(targets.map((t) => t.pushChart({ archive: packaged.archive, prov }, { overwrite: options.overwrite }).then(landed(chart.name, chart.nextVersion, targets.length, t))));
    const pushes = prov ? await withHeldProv(targets, pushed, packaged) : pushed;
    if (pushes !== pushed) chartLog.info('a registry held this version signed already: its .prov went to the others instead, so all serve one manifest');
    const results = pushResults(targets, pushes, chartLog, (p) => (p.status === 'unchanged' ? 'Unchanged' : 'Pushed'), (error) => explained(error, plan, chart));
    checkSameContent(pushes);
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length > 0) throw new PartialPushError(results, partialMessage(results));
    let attestation: ChartAttestation | undefined;
    if (attester) {
      const done = pushes.map((p, i) => ({ target: targets[i]!, result: (p as PromiseFulfilledResult<PushResult>).value }));
      try {
        const attested = await attester.attest({ name: packaged.name, version: packaged.version, archive: { fileName: packaged.fileName, sha256: packaged.sha256 }, pushes: done }, chartLog);
        results.forEach((r, i) => (r.attestation = attested.registries[i]));
        attestation = attested.chart;
      } catch (error) {
        // What the registries that took the attestation hold is reported with the failure.
        if (error instanceof AttestationIncomplete) results.forEach((r, i) => (r.attestation = error.registries[i]));
        chartLog.error(`pushed, but not attested: ${describeError(error)}`);
        throw new PartialPushError(results, `pushed, but not attested: ${describeError(error)}`);
      }
    }
    archives.set(chart.name, { metadata: packaged.metadata, fileName: packaged.fileName, archive: packaged.archive, ...(prov ? { prov } : {}) });
    return { registries: results, ...(attestation ? { attestation } : {}) };
  } catch (error) {
    // A chart left for a later run (laterFirst) is a warning, said once by the caller: no error annotation for it.
    if (!(error instanceof PartialPushError) && !laterFirst(chart, error)) {
      // The log writes where (and which field) itself: the message must not say it again.
      if (error instanceof ChartshipError) chartLog.error(error.withHint(), { file: chart.chartYaml, ...located(error, plan.root), field: error.field });
      else chartLog.error(describeError(error), { file: chart.chartYaml });
    }
    throw error;
  } finally {
    await chartLog.flush(`${chart.name} ${chart.nextVersion}`);
  }
}

/** Whether a run pushes a chart: released now, or copied to the targets missing its current release. */
const toPush = (chart: ChartPlan): boolean => chart.action !== 'skipped' || chart.missing !== undefined;

/**
 * A chart's current release copied as published from the target that holds it to those missing it: the archive, its
 * .prov and the manifest's creation time, so each serves the same manifest (not packaged or signed again).
 */
async function copyMissing(name: string, missing: NonNullable<ChartPlan['missing']>, targets: ChartTarget[], chartLog: Log): Promise<RegistryResult[]> {
  const source = targets.find((t) => t.spec === missing.from)!;
  const [held, pulled] = await Promise.all([source.inspectChart(name, missing.version), source.pullChart(name, missing.version)]);
  const created = held?.created === undefined ? {} : { created: held.created };
  const to = targets.filter((t) => missing.to.includes(t.spec));
  const pushed = await Promise.allSettled(to.map((t) => t.pushChart({ archive: pulled.archive, ...(pulled.prov ? { prov: pulled.prov } : {}), ...created }).then(landed(name, missing.version, to.length, t))));
  const results = pushResults(to, pushed, chartLog, () => `Copied from ${missing.from}`);
  if (results.some((r) => r.status === 'failed')) throw new PartialPushError(results, partialMessage(results));
  return results;
}

/** A push noted as it lands: a signal ending the run says what it pushed (stopped-run.ts). */
const landed = (name: string, version: string, of: number, target: ChartTarget) => (push: PushResult) => (notePushed({ name, version }, of, { registry: target.spec, ref: push.ref, digest: push.digest }), push);

/** Each target's push as its result, logged: `WHAT: ref` and the digest, or the error (`explain`ed). */
function pushResults(targets: ChartTarget[], pushes: PromiseSettledResult<PushResult>[], chartLog: Log, what: (push: PushResult) => string, explain: (error: unknown) => unknown = (error) => error): RegistryResult[] {
  return pushes.map((p, i): RegistryResult => {
    const registry = targets[i]!.spec;
    if (p.status === 'rejected') {
      const error = describeError(explain(p.reason));
      chartLog.error(`${registry}: ${error}`);
      return { registry, ref: '', digest: '', status: 'failed', error };
    }
    chartLog.info(`${what(p.value)}: ${p.value.ref}\nDigest: ${p.value.digest}`);
    return registryResult(registry, p.value);
  });
}

/** A tag that holds other content, with why when the plan had nothing to bump from (see unrecordedRelease). */
function explained(error: unknown, plan: Plan, chart: ChartPlan): unknown {
  if (!(error instanceof ChartshipError) || error.code !== 'TAG_EXISTS') return error;
  const why = unrecordedRelease(plan, chart);
  return why ? new ChartshipError(error.message, { code: 'TAG_EXISTS', hint: why }) : error;
}

/** A chart no registry holds yet that this run does not publish (a policy refusal, a registry's), and why. */
function warnNotYet(log: Log, chart: ChartPlan, why: string): void {
  log.warning(`${chart.name} ${chart.nextVersion}: ${why}; no registry holds it yet, and a later run publishes it once that is fixed`, { file: chart.chartYaml });
}

/**
 * Whether a chart published only for being unpublished is left for a later run rather than failed: an enforced policy
 * refused it, or no registry took it (its repository may not exist yet, as ECR needs); it went unpublished before
 * too. One that some registry took is a half-published chart, and fails as any other.
 */
function laterFirst(chart: ChartPlan, error: unknown): boolean {
  if (!chart.firstPublication) return false;
  return !(error instanceof PartialPushError && error.results.some((r) => r.status !== 'failed'));
}

/** `[37/100] web 1.2.0 → sha256:…`, one line per chart as it finishes, so a long run shows how far it got. */
function progressLine(total: number): (chart: ChartPlan, results: RegistryResult[] | undefined) => string {
  let done = 0;
  const width = String(total).length;
  return (chart, results) => {
    const count = `[${String(++done).padStart(width)}/${total}] ${chart.name} ${chart.nextVersion}`;
    if (!results) return `${count} failed`;
    if (results.length === 0) return `${count} not published`;
    const digests = [...new Set(results.map((r) => r.digest))].join(', ');
    return `${count} → ${digests}${results.every((r) => r.status === 'unchanged') ? ' (unchanged)' : ''}`;
  };
}

/** Carries the per-registry results of a chart that reached some registries but not all. */
class PartialPushError extends ChartshipError {
  constructor(readonly results: RegistryResult[], message: string) {
    super(message, { code: 'PUSH_FAILED' });
  }
}

/** Registries may hold manifests with another `created` stamp, so equality is judged on config and chart layer. */
function checkSameContent(pushes: PromiseSettledResult<PushResult>[]): void {
  const done = pushes.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
  const first = done[0];
  const odd = done.find((r) => r.chartDigest !== first?.chartDigest || r.configDigest !== first?.configDigest);
  if (first && odd) {
    throw new ChartshipError(`registries disagree on the chart content: ${first.ref} has ${first.chartDigest}, ${odd.ref} has ${odd.chartDigest}`, {
      code: 'DIGEST_MISMATCH',
    });
  }
}

function registryResult(registry: string, push: PushResult): RegistryResult {
  const result: RegistryResult = { registry, ref: push.ref, digest: push.digest, status: push.status === 'unchanged' ? 'unchanged' : 'pushed' };
  if (push.provDigest) result.provDigest = push.provDigest;
  return result;
}

/** A chart as planned; with a dry run's targets, a chart to release is `planned`, with the ref it would get in each. */
function planned(chart: ChartPlan, dryRun?: ChartTarget[]): ChartResult {
  const release = chart.action === 'release';
  const version = release ? chart.nextVersion : (chart.missing?.version ?? chart.currentVersion);
  const wouldPush = toPush(chart) && dryRun;
  const to = chart.missing ? dryRun?.filter((t) => chart.missing!.to.includes(t.spec)) : dryRun;
  return {
    name: chart.name,
    version,
    previousVersion: chart.previousVersion,
    path: chart.path,
    status: wouldPush ? 'planned' : chart.action === 'unchanged' ? 'unchanged' : 'skipped',
    signed: false,
    ...(chart.missing ? { copiedFrom: chart.missing.from } : {}),
    registries: wouldPush ? to!.map((t) => ({ registry: t.spec, ref: `${t.repositoryRef(chart.name)}:${tagForVersion(version)}`, status: 'planned' })) : [],
    changelog: chart.changelog,
  };
}

function invalidResult(chart: InvalidChart): ChartResult {
  return {
    name: chart.name ?? (chart.path.split('/').pop() || chart.path),
    version: chart.version ?? '',
    path: chart.path,
    status: 'failed',
    error: describeInvalid(chart),
    signed: false,
    registries: [],
    changelog: [],
  };
}

function resultOf(chart: ChartPlan, outcome: GraphOutcome<Released> | undefined, signer: ChartResult['signer'], root: string): ChartResult {
  const base = planned(chart);
  if (!outcome) return base;
  const signed = signer ? { signed: true, signer } : { signed: false };
  switch (outcome.state) {
    case 'done': {
      const { registries, attestation, leftOut } = outcome.value;
      // The log has why (and the policy section its findings): it is no failure of the run.
      if (leftOut) return { ...base, status: 'skipped' };
      const status = registries.every((r) => r.status === 'unchanged') ? 'unchanged' : 'pushed';
      return { ...base, status, ...signed, registries, ...(attestation ? { attestation } : {}) };
    }
    case 'failed': {
      const registries = outcome.error instanceof PartialPushError ? outcome.error.results : [];
      return { ...base, status: 'failed', ...signed, registries, error: describeIn(outcome.error, root) };
    }
    case 'blocked':
      return { ...base, status: 'failed', error: `not published: its dependency ${outcome.by} failed` };
    case 'cancelled':
      return { ...base, status: 'skipped', error: 'not published: stopped by fail-fast after an earlier failure' };
  }
}

export async function createReleases(results: ChartResult[], releases: NonNullable<PublishOptions['releases']>, log: Log): Promise<void> {
  for (const result of results) {
    // A copy to a registry that lacked a release is no new release: its GitHub release stands as it is.
    if (!isPublished(result) || result.copiedFrom !== undefined) continue;
    const tag = releaseTag(releases.tagTemplate, result.name, result.version);
    try {
      const release = await releases.client.upsertRelease({
        tag,
        name: `${result.name} ${result.version}`,
        body: releases.render(result),
        sha: releases.sha,
        makeLatest: releases.makeLatest,
        // Only the part before build metadata says prerelease: 2.0.0+build-5 is a release.
        prerelease: Boolean(parseHelmVersion(result.version)?.prerelease),
      });
      result.release = { tag, url: release.url };
      log.info(`${release.created ? 'created' : 'kept'} release ${tag}: ${release.url}`);
    } catch (error) {
      // The chart itself is published; a missing release is reported but does not undo that.
      log.error(`release ${tag}: ${describeError(error)}`);
      result.error = `release ${tag} not created: ${describeError(error)}`;
    }
  }
}

function requests(targets: ChartTarget[]): number {
  return targets.reduce((sum, t) => sum + t.stats().requests, 0);
}
