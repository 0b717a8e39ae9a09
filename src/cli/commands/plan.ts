import { resolve } from 'node:path';
import { ChartshipError } from '../../model/errors.js';
import { applyPlan } from '../../pipeline/plan-edits.js';
import type { PlanOptions } from '../../pipeline/plan.js';
import { planAgainstRegistries } from '../../pipeline/plan-registry.js';
import { planShards, shardCount, type ShardEntry } from '../../pipeline/shards.js';
import { describeInvalid, renderPlan } from '../../report/plan-text.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';
import { CONFIG_FILE } from '../../config/index.js';
import { loadConfig } from '../../config/load.js';
import { settingsReader } from '../../pipeline/settings.js';
import { readVersioning } from '../../pipeline/settings-versioning.js';
import { versioningRules } from '../../pipeline/versioning-rules.js';

const HELP = `usage: chartship plan [options]

Shows which charts changed and the versions they would be released as.

  --charts GLOB        chart directories (repeatable; default charts/*; ** spans directories)
  --exclude NAME|GLOB  leave charts out by name or directory glob (repeatable)
  --skip-deprecated    leave out charts marked deprecated
  --base REF           compare against merge-base(REF, head), as for a pull request or push
  --head REF           last commit to look at (default HEAD); charts are read as they are at REF, from git
                       when the work tree is elsewhere (--write and --registry need REF checked out)
  --since-tags         compare each chart against its newest release tag (the default without --base)
  --release-tag-template T
                       release tag naming (default {name}-{version}; --tag-template is the same)
  --registry oci://…   target registry (repeatable): charts whose next version it already holds with the same
                       content are unchanged, with other content an error; dependencies on it are local
  --overwrite          accept a published version with different content (it will be replaced)
  --plain-http         talk HTTP, not HTTPS, to the registries
  --prerelease ID      prerelease channel, e.g. rc → 1.3.0-rc.0
  --version-bump MODE  conventional (default) or none
  --other-types MODE   non-release commit types that change a chart: patch (default) or none
  --app-version MODE   keep (default), follow (the chart version), or value:TEXT
  --bump-minor-pre-major
                       below 1.0.0 a breaking change bumps the minor (the default; .chartship.yaml can
                       turn it off)
  --bump-patch-for-minor-pre-major
                       below 1.0.0 a feature bumps the patch
  --config FILE        configuration file (default: .chartship.yaml in --cwd); its versioning: section applies
  --write              write the new versions into Chart.yaml
  --shards N           split the charts to publish into dependency waves of at most N shards each (JSON: shards,
                       one matrix per wave; run each with publish --wave W --shard I/N)
  --json               print the plan as JSON
  --cwd DIR            repository directory (default: current directory)
  --help               show this help
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand(
    {
      name: 'plan',
      help: HELP,
      positionals: { min: 0, max: 0, what: 'no arguments' },
      options: {
          charts: { type: 'string', multiple: true },
          exclude: { type: 'string', multiple: true },
          'skip-deprecated': { type: 'boolean' },
          base: { type: 'string' },
          head: { type: 'string' },
          'since-tags': { type: 'boolean' },
          'tag-template': { type: 'string' },
          'release-tag-template': { type: 'string' },
          'bump-minor-pre-major': { type: 'boolean' },
          'bump-patch-for-minor-pre-major': { type: 'boolean' },
          config: { type: 'string' },
          registry: { type: 'string', multiple: true },
          overwrite: { type: 'boolean' },
          'plain-http': { type: 'boolean' },
          prerelease: { type: 'string' },
          'version-bump': { type: 'string' },
          'other-types': { type: 'string' },
          'app-version': { type: 'string' },
          write: { type: 'boolean' },
          shards: { type: 'string' },
          json: { type: 'boolean' },
          cwd: { type: 'string' },
      },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
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
    registryNamespaces: values.registry,
    onWarning: (warning) => io.stderr(`warning: ${warning.describe()}\n`),
  };
  for (const target of values.registry ?? []) {
    if (!target.startsWith('oci://')) {
      throw new ChartshipError(`--registry ${JSON.stringify(target)} must start with oci://`, { field: 'registry', code: 'CONFIG_INVALID' });
    }
  }
  const plan = await planAgainstRegistries({
    ...options,
    registries: values.registry ?? [],
    target: { plainHttp: values['plain-http'], env: io.env, cwd },
    overwrite: values.overwrite,
    env: io.env,
    warn: (message) => io.stderr(`warning: ${message}\n`),
  });
  const shards = values.shards === undefined ? undefined : planShards(plan, shardCount(values.shards));
  const written = values.write ? await applyPlan(plan) : [];
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
