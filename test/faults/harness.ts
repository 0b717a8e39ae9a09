/**
 * The fault-injection harness shared by the standing fault tests (`npm test`) and the figures command
 * (`npm run test:faults`): publishes N charts through the seeded fault proxy into a real docker-registry, reruns
 * while charts are left over (up to a limit), and then checks, from the registry's own storage, that no manifest
 * references a missing blob and that every digest chartship reported is the one the tag holds.
 */
import { rmSync } from 'node:fs';
import type { Clock } from '../../src/model/clock.js';
import type { RetryPolicy, TargetOptions } from '../../src/oci/index.js';
import { silentLog } from '../../src/pipeline/log.js';
import { publish, type PublishOutcome } from '../../src/pipeline/publish.js';
import type { Chaos, Fault, FlakyProxy, Rule } from '../helpers/flaky-proxy.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { readStorage } from '../helpers/registry-storage.js';
import type { TestRegistry } from '../helpers/registry.js';

/** Every fault the proxy can inject at random, each as a registry or a network really produces it. */
export const ALL_FAULTS: Fault[] = [
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 503 },
  { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
  { kind: 'status', status: 429, headers: { 'retry-after': () => new Date(Date.now() + 1500).toUTCString() } },
  { kind: 'drop' },
  { kind: 'reset-after' },
  { kind: 'truncate' },
  { kind: 'delay', ms: 150 },
  { kind: 'wrong-digest' },
];

export interface Scenario {
  name: string;
  charts: number;
  /** Runs allowed in all: 2 means "within one rerun". */
  maxRuns: number;
  chaos?: Omit<Chaos, 'seed'>;
  rules?: Rule[];
  seed?: number;
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  timeouts?: TargetOptions['timeouts'];
  /** The clock the retries wait on (default: the system's). */
  clock?: Clock;
}

export interface Figures {
  name: string;
  seed: number;
  requests: number;
  injected: Record<string, number>;
  charts: number;
  /** Per run: charts that ended pushed or unchanged, and failed. */
  runs: { published: number; failed: number; error?: string }[];
  reruns: number;
  /** Charts still failing after the last run allowed. */
  leftOver: string[];
  /** From the registry's storage: manifests naming missing blobs, and reported digests the tag does not hold. */
  problems: string[];
  seconds: number;
  peakRssMiB: number;
}

export interface Stage {
  registry: TestRegistry;
  proxy: FlakyProxy;
  home: string;
}

/** Runs one scenario in its own namespace of a shared registry and proxy. */
export async function runScenario(stage: Stage, scenario: Scenario): Promise<Figures> {
  const { registry, proxy } = stage;
  const seed = scenario.seed ?? 1;
  const namespace = `faults-${scenario.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  const repo = createRepo('chartship-faults-');
  const started = Date.now();
  const requestsBefore = proxy.log.length;
  const injectedBefore = new Map(proxy.injected);
  try {
    const files: Record<string, string> = {};
    for (let i = 0; i < scenario.charts; i++) Object.assign(files, chartFiles(`charts/c${i}`, `c${i}`, '1.0.0'));
    repo.commit('feat: charts', files);

    proxy.rules.length = 0;
    proxy.rules.push(...(scenario.rules ?? []));
    proxy.chaos = scenario.chaos ? { ...scenario.chaos, seed } : undefined;

    const runs: Figures['runs'] = [];
    const reported = new Map<string, string>();
    let last: PublishOutcome | undefined;
    for (let run = 0; run < scenario.maxRuns; run++) {
      try {
        last = await publish(
          {
            cwd: repo.dir,
            targets: [`oci://${proxy.host}/${namespace}`],
            versionBump: 'none',
            concurrency: scenario.concurrency ?? 4,
            target: {
              plainHttp: true,
              username: registry.username,
              password: registry.password,
              env: { HOME: stage.home },
              retry: scenario.retry,
              timeouts: scenario.timeouts,
              clock: scenario.clock,
            },
          },
          silentLog,
        );
      } catch (error) {
        runs.push({ published: 0, failed: scenario.charts, error: (error as Error).message });
        continue;
      }
      for (const result of last.results) {
        for (const r of result.registries) if (r.digest) reported.set(`${namespace}/${result.name}:${result.version}`, r.digest);
      }
      const failed = last.results.filter((r) => r.status !== 'pushed' && r.status !== 'unchanged');
      runs.push({ published: last.results.length - failed.length, failed: failed.length });
      if (failed.length === 0) break;
    }
    proxy.chaos = undefined;
    proxy.rules.length = 0;

    const storage = readStorage(registry.storageDir);
    const problems = storage.problems.filter((p) => p.startsWith(`${namespace}/`));
    for (const [ref, digest] of reported) {
      const held = storage.tags.get(ref);
      if (held !== digest) problems.push(`${ref}: chartship reported ${digest}, the tag holds ${held ?? 'nothing'}`);
    }
    const leftOver = last ? last.results.filter((r) => r.status !== 'pushed' && r.status !== 'unchanged').map((r) => `${r.name}: ${r.error}`) : ['every run failed'];
    const injected: Record<string, number> = {};
    for (const [kind, count] of proxy.injected) {
      const delta = count - (injectedBefore.get(kind) ?? 0);
      if (delta > 0) injected[kind] = delta;
    }
    return {
      name: scenario.name,
      seed,
      requests: proxy.log.length - requestsBefore,
      injected,
      charts: scenario.charts,
      runs,
      reruns: runs.length - 1,
      leftOver,
      problems,
      seconds: (Date.now() - started) / 1000,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    proxy.chaos = undefined;
    proxy.rules.length = 0;
    rmSync(repo.dir, { recursive: true, force: true });
  }
}

/** One line per scenario, for the figures command. */
export function formatFigures(f: Figures): string {
  const kinds = Object.entries(f.injected).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';
  const runs = f.runs.map((r, i) => `run ${i + 1}: ${r.published} published, ${r.failed} failed${r.error ? ` (${r.error})` : ''}`).join('; ');
  return [
    `${f.name} (seed ${f.seed}, ${f.charts} charts, ${f.seconds.toFixed(1)} s)`,
    `  requests: ${f.requests}`,
    `  faults injected: ${kinds}`,
    `  ${runs}`,
    `  reruns needed: ${f.leftOver.length === 0 ? f.reruns : `more than ${f.reruns}`}`,
    `  peak RSS: ${f.peakRssMiB} MiB`,
    `  storage: ${f.problems.length === 0 ? 'every manifest complete, every reported digest served' : f.problems.join('; ')}`,
  ].join('\n');
}
