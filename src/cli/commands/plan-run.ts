import { resolve } from 'node:path';
import { createPlan, type PlanOptions } from '../../pipeline/plan.js';
import { planShards, shardCount, type ShardEntry } from '../../pipeline/shards.js';
import { describeInvalid, renderPlan } from '../../report/plan-text.js';
import { repositoryConfig } from '../config-file.js';
import type { CliIO } from '../io.js';
import { chartSelectors } from '../../config/index.js';
import { compareRange, settingsReader } from '../../pipeline/settings.js';
import { ciEvent, readRawSettings, registriesReached } from '../settings.js';
import { readVersioning } from '../../pipeline/settings-versioning.js';
import { versioningRules } from '../../pipeline/versioning-rules.js';
import type { PlanFlags } from './plan-flags.js';

/** `chartship plan` once its flags are read. */
export async function runPlan(values: PlanFlags, io: CliIO): Promise<number> {
  const cwd = resolve(io.cwd, values.cwd ?? '.');
  // The settings plan shares with publish are read as publish reads them: flags, else CHARTSHIP_* variables (a
  // mistyped one refused), and the range from the CI's variables (GitLab, Jenkins). A job planning with other charts,
  // channel or range than its publish would show a plan that is not the one published.
  const raw = await readRawSettings({ ...values, 'release-tag-template': values['release-tag-template'] ?? values['tag-template'] }, io);
  const read = settingsReader(raw);
  const versioning = readVersioning(read);
  const range = values['since-tags'] ? { sinceTags: true } : compareRange(read.optional('base'), ciEvent(io.env, cwd));
  // The CI's commit, when it names one; HEAD itself is the default and costs git nothing to read.
  const head = values.head ?? ('head' in range && range.head !== 'HEAD' ? range.head : undefined);
  const config = await repositoryConfig(io, cwd, values.config);
  // The registries to compare with are --registry's only: CHARTSHIP_REGISTRY names where publish pushes, and planning
  // from git alone must not start asking a registry for the logins a publish job gives it. Given, they are reached
  // as publish reaches them: the same logins (CHARTSHIP_USERNAME, registry-auth…), TLS and transport, and the same
  // targets (an oci-layout: directory too, such as the demo's).
  const reached = values.registry?.length ? registriesReached(read, values.registry, { ...io, cwd }) : undefined;
  const registries = reached?.targets ?? [];
  const options: PlanOptions = {
    cwd,
    // Not given: plan's own default, which tells a default glob that finds nothing from a mistyped one.
    charts: raw.charts === undefined ? undefined : read.list('charts'),
    exclude: read.list('exclude'),
    skipDeprecated: read.bool('skip-deprecated'),
    ...range,
    head,
    tagTemplate: versioning.tagTemplate ?? config.versioning['release-tag-template'],
    ...versioning.given,
    versionBump: versioning.versionBump,
    rulesFor: versioningRules(config.versioning, versioning.given),
    selectors: chartSelectors(config),
    registryNamespaces: registries,
    onWarning: (warning) => io.stderr(`warning: ${warning.describe()}\n`),
  };
  // The registry client, packaging and dependency resolution are read only when there is a registry to compare with.
  const plan = reached
    ? await (await import('../../pipeline/plan-registry.js')).planAgainstRegistries({
        ...options,
        registries,
        target: reached.target,
        overwrite: read.bool('overwrite'),
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

function renderShards(waves: ShardEntry[][]): string {
  const lines = waves.flatMap((entries, w) => entries.map((e) => `  wave ${w + 1} shard ${e.shard}: ${e.charts.join(', ')}`));
  return `\nshards (each wave after the one before):\n${lines.join('\n')}\n`;
}
