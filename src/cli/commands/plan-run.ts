import { resolve } from 'node:path';
import { ChartshipError } from '../../model/errors.js';
import { createPlan, type PlanOptions } from '../../pipeline/plan.js';
import { planShards, shardCount, type ShardEntry } from '../../pipeline/shards.js';
import { describeInvalid, renderPlan } from '../../report/plan-text.js';
import type { CliIO } from '../io.js';
import { chartSelectors, CONFIG_FILE } from '../../config/index.js';
import { loadConfig } from '../../config/load.js';
import { settingsReader } from '../../pipeline/settings.js';
import { readVersioning } from '../../pipeline/settings-versioning.js';
import { versioningRules } from '../../pipeline/versioning-rules.js';
import type { PlanFlags } from './plan-flags.js';

/** `chartship plan` once its flags are read. */
export async function runPlan(values: PlanFlags, io: CliIO): Promise<number> {
  const cwd = resolve(io.cwd, values.cwd ?? '.');
  // The same names and meanings as publish's settings: one reader for both.
  const versioning = readVersioning(
    settingsReader({
      prerelease: values.prerelease,
      'version-bump': values['version-bump'],
      'other-types': values['other-types'],
      'app-version': values['app-version'],
      'bump-minor-pre-major': flag(values['bump-minor-pre-major']),
      'bump-patch-for-minor-pre-major': flag(values['bump-patch-for-minor-pre-major']),
      'release-tag-template': values['release-tag-template'] ?? values['tag-template'],
    }),
  );
  const config = values.config ? await loadConfig(resolve(io.cwd, values.config), values.config, { required: true }) : await loadConfig(resolve(cwd, CONFIG_FILE), CONFIG_FILE);
  const options: PlanOptions = {
    cwd,
    charts: values.charts,
    exclude: values.exclude,
    skipDeprecated: values['skip-deprecated'],
    base: values.base,
    head: values.head,
    sinceTags: values['since-tags'],
    tagTemplate: versioning.tagTemplate ?? config.versioning['release-tag-template'],
    ...versioning.given,
    versionBump: versioning.versionBump,
    rulesFor: versioningRules(config.versioning, versioning.given),
    selectors: chartSelectors(config),
    registryNamespaces: values.registry,
    onWarning: (warning) => io.stderr(`warning: ${warning.describe()}\n`),
  };
  for (const target of values.registry ?? []) {
    if (!target.startsWith('oci://')) {
      throw new ChartshipError(`--registry ${JSON.stringify(target)} must start with oci://`, { field: 'registry', code: 'CONFIG_INVALID' });
    }
  }
  // The registry client, packaging and dependency resolution are read only when there is a registry to compare with.
  const plan = values.registry?.length
    ? await (await import('../../pipeline/plan-registry.js')).planAgainstRegistries({
        ...options,
        registries: values.registry,
        target: { plainHttp: values['plain-http'], env: io.env, cwd },
        overwrite: values.overwrite,
        env: io.env,
        warn: (message) => io.stderr(`warning: ${message}\n`),
      })
    : await createPlan(options);
  const shards = values.shards === undefined ? undefined : planShards(plan, shardCount(values.shards));
  // Editing Chart.yaml files (and the YAML writer that takes) is read only for --write.
  const written = values.write ? await (await import('../../pipeline/plan-edits.js')).applyPlan(plan) : [];
  if (values.json) io.stdout(`${JSON.stringify({ ...plan, ...(values.write ? { written } : {}), ...(shards ? { shards } : {}) }, null, 2)}\n`);
  else io.stdout(`${renderPlan(plan, written)}${shards ? renderShards(shards) : ''}`);
  // An invalid chart is a failure, as in publish: a pipeline that only plans must not pass green over it.
  for (const chart of plan.invalid) io.stderr(`error: ${describeInvalid(chart)}\n`);
  return plan.invalid.length > 0 ? 1 : 0;
}

function flag(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function renderShards(waves: ShardEntry[][]): string {
  const lines = waves.flatMap((entries, w) => entries.map((e) => `  wave ${w + 1} shard ${e.shard}: ${e.charts.join(', ')}`));
  return `\nshards (each wave after the one before):\n${lines.join('\n')}\n`;
}
