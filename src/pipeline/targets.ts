import { ChartshipError, describeError } from '../model/errors.js';
import { HttpDownloader, isRefusal, parseOciTarget, type TargetOptions } from '../oci/index.js';
import { openTarget, type ChartTarget } from '../helm-oci/index.js';
import type { RegistryResult } from '../model/plan.js';
import type { RepositoryIndexes } from '../resolve/repository.js';

/**
 * Explicit credentials belong to one registry: the host of the first `oci://` target (every namespace on it). The
 * other hosts, and oci:// dependencies elsewhere, authenticate from docker/helm credential files (e.g. a
 * docker/login-action step) instead. A GHCR token must not reach an ECR endpoint because both were listed.
 */
function credentialHost(specs: string[], options: TargetOptions): string | undefined {
  if (options.credentialHost !== undefined) return options.credentialHost;
  const first = specs.find((spec) => spec.startsWith('oci://'));
  return first ? parseOciTarget(first).host : undefined;
}

/** Opens every target, explicit credentials going to the credential host only. */
export function openTargets(specs: string[], options: TargetOptions = {}): ChartTarget[] {
  const host = credentialHost(specs, options);
  return specs.map((spec) => openTarget(spec, { ...options, credentialHost: host }));
}

/** How a run fetches dependencies: oci:// with the same credential rule, https:// through the same transport. */
export interface DependencyAccess {
  oci: TargetOptions;
  download: HttpDownloader['download'];
  /**
   * The chart repositories' index.yaml files this run read, by URL: every chart depending on one repository reads the
   * one download and decoding (a public index is tens of megabytes), and all of them see the same versions.
   */
  indexes: RepositoryIndexes;
  close(): Promise<void>;
}

export function dependencyAccess(specs: string[], options: TargetOptions = {}): DependencyAccess {
  const downloader = new HttpDownloader(options);
  return { oci: { ...options, credentialHost: credentialHost(specs, options) }, download: downloader.download, indexes: new Map(), close: () => downloader.close() };
}

/**
 * All targets or none: before the first push, every target is reached, authenticated and asked whether it would
 * take a push of the first chart (an upload started and cancelled), so an unreachable registry, a wrong password
 * or missing push rights fail the run before anything is published anywhere.
 */
export function checkTargetsWritable(targets: ChartTarget[], chartNames: string[]): Promise<void> {
  return checkTargets(targets, chartNames, (target, name) => target.checkPush(name), { nothing: 'nothing was published', would: 'take a push' });
}

/**
 * Each target asked about the first of `chartNames` by `ask`, failing once, naming every target that would not answer
 * it. A refusal (401, 403) may be about that one chart's repository (a package with permissions of its own): the
 * second chart's then decides for the target, and a repository refused alone fails its own chart later.
 */
export async function checkTargets(
  targets: ChartTarget[],
  chartNames: string[],
  ask: (target: ChartTarget, chart: string) => Promise<unknown>,
  say: { nothing: string; would: string },
): Promise<void> {
  const check = async (target: ChartTarget) => {
    try {
      await ask(target, chartNames[0]!);
    } catch (error) {
      if (!isRefusal(error) || chartNames.length < 2) throw error;
      await ask(target, chartNames[1]!).catch(() => Promise.reject(error));
    }
  };
  const checks = await Promise.allSettled(targets.map(check));
  const failed = checks.flatMap((c, i) => (c.status === 'rejected' ? [`target ${i + 1} of ${targets.length} (${targets[i]!.spec}): ${describeError(c.reason)}`] : []));
  if (failed.length === 0) return;
  throw new ChartshipError(`${say.nothing}, because not every registry would ${say.would}: ${failed.join('; ')}`, {
    code: 'TARGET_UNUSABLE',
    hint: 'fix the access to that registry, or drop it from the targets, and run again',
  });
}

/**
 * The one line a chart gets when some targets hold it and others do not: which have it, which lack it and why,
 * and that a rerun completes it (pushing again is a no-op where it is already published).
 */
export function partialMessage(results: RegistryResult[]): string {
  const done = results.filter((r) => r.status !== 'failed');
  const missing = results.filter((r) => r.status === 'failed');
  const reasons = missing.map((r) => `${r.registry}: ${r.error}`).join('; ');
  if (done.length === 0) return reasons;
  return `partly published: in ${done.map((r) => r.registry).join(', ')}, missing from ${missing.map((r) => r.registry).join(', ')} (${reasons}); run again to complete it`;
}
