import { resolve } from 'node:path';
import { ChartshipError } from '../../errors.js';
import { openTarget } from '../../oci/index.js';
import { createGit } from '../../changes/git.js';
import { requireCheckedOut } from '../../changes/git-tree.js';
import { applyPlan, checkPublished, createPlan, type PlanOptions } from '../../pipeline/plan.js';
import { packagedDigests, publishedStateOf } from '../../pipeline/plan-registry.js';
import type { ChartPlan, Plan } from '../../pipeline/types.js';
import { renderChangelog } from '../../versioning/changelog.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';

const HELP = `usage: chartship plan [options]

Shows which charts changed and the versions they would be released as.

  --charts GLOB        chart directories (repeatable; default charts/*; ** spans directories)
  --exclude NAME|GLOB  leave charts out by name or directory glob (repeatable)
  --skip-deprecated    leave out charts marked deprecated
  --base REF           compare against merge-base(REF, head), as for a pull request or push
  --head REF           last commit to look at (default HEAD); charts are read as they are at REF, from git
                       when the work tree is elsewhere (--write and --registry need REF checked out)
  --since-tags         compare each chart against its newest release tag (the default without --base)
  --tag-template T     release tag naming (default {name}-{version})
  --registry oci://…   target registry (repeatable): charts whose next version it already holds with the same
                       content are unchanged, with other content an error; dependencies on it are local
  --overwrite          accept a published version with different content (it will be replaced)
  --plain-http         talk HTTP, not HTTPS, to the registries
  --prerelease ID      prerelease channel, e.g. rc → 1.3.0-rc.0
  --version-bump MODE  conventional (default) or none
  --other-types MODE   non-release commit types that change a chart: patch (default) or none
  --app-version MODE   keep (default), follow (the chart version), or value:TEXT
  --write              write the new versions into Chart.yaml
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
          registry: { type: 'string', multiple: true },
          overwrite: { type: 'boolean' },
          'plain-http': { type: 'boolean' },
          prerelease: { type: 'string' },
          'version-bump': { type: 'string' },
          'other-types': { type: 'string' },
          'app-version': { type: 'string' },
          write: { type: 'boolean' },
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
  const options: PlanOptions = {
    cwd,
    charts: values.charts,
    exclude: values.exclude,
    skipDeprecated: values['skip-deprecated'],
    base: values.base,
    head: values.head,
    sinceTags: values['since-tags'],
    tagTemplate: values['tag-template'],
    prerelease: values.prerelease,
    versionBump: oneOf('version-bump', values['version-bump'], ['conventional', 'none'] as const),
    otherTypes: oneOf('other-types', values['other-types'], ['patch', 'none'] as const),
    appVersion: appVersionPolicy(values['app-version']),
    registryNamespaces: values.registry,
    onWarning: (warning) => io.stderr(`warning: ${warning.describe()}\n`),
  };
  for (const target of values.registry ?? []) {
    if (!target.startsWith('oci://')) {
      throw new ChartshipError(`--registry ${JSON.stringify(target)} must start with oci://`, { field: 'registry', code: 'CONFIG_INVALID' });
    }
  }
  let plan = await createPlan(options);
  if (values.registry?.length) {
    await requireCheckedOut(createGit(cwd), plan.head, '--registry (it packages the charts to compare them)');
    const digestsOf = packagedDigests(plan.root, io.env);
    for (const spec of values.registry) {
      const target = openTarget(spec, { plainHttp: values['plain-http'], env: io.env, cwd });
      try {
        plan = await checkPublished(plan, publishedStateOf(target), digestsOf, { overwrite: values.overwrite, target: spec });
      } finally {
        await target.close();
      }
    }
  }
  const written = values.write ? await applyPlan(plan) : [];
  if (values.json) io.stdout(`${JSON.stringify(values.write ? { ...plan, written } : plan, null, 2)}\n`);
  else io.stdout(renderPlan(plan, written));
  return 0;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ChartshipError(`--${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, { field: flag, code: 'CONFIG_INVALID' });
}

function appVersionPolicy(value: string | undefined): PlanOptions['appVersion'] {
  if (value === undefined || value === 'keep' || value === 'follow') return value;
  if (value.startsWith('value:') && value.length > 'value:'.length) return { value: value.slice('value:'.length) };
  throw new ChartshipError(`--app-version must be keep, follow or value:TEXT, got ${JSON.stringify(value)}`, { field: 'app-version', code: 'CONFIG_INVALID' });
}

export function renderPlan(plan: Plan, written: string[] = []): string {
  const lines: string[] = [];
  const range = plan.base ? `${plan.base.slice(0, 7)}..${plan.head.slice(0, 7)}` : `release tags..${plan.head.slice(0, 7)}`;
  lines.push(`Plan for ${range}: ${plan.charts.filter((c) => c.action === 'release').length} of ${plan.charts.length} charts to release`, '');
  const rows = [['NAME', 'PATH', 'CURRENT', 'NEXT', 'BUMP', 'ACTION', 'WHY'], ...plan.charts.map(row)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) lines.push(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
  for (const deleted of plan.deleted) lines.push('', `deleted: ${deleted.name} (${deleted.path}) — not published`);
  for (const chart of plan.charts.filter((c) => c.action !== 'skipped')) {
    lines.push('', `${chart.name} ${chart.currentVersion} → ${chart.nextVersion}`);
    for (const reason of chart.reasons) lines.push(`  - ${reason.message}${reason.sha ? ` (${reason.sha.slice(0, 7)})` : ''}`);
    if (chart.dependents.length > 0) lines.push(`  dependents: ${chart.dependents.join(', ')}`);
    if (chart.changelog.length > 0) lines.push('', ...renderChangelog(chart.changelog).trimEnd().split('\n').map((l) => (l ? `  ${l}` : l)));
  }
  if (written.length > 0) lines.push('', 'written:', ...written.map((f) => `  ${f}`));
  return `${lines.join('\n')}\n`;
}

function row(chart: ChartPlan): string[] {
  const why = chart.reasons[0];
  const more = chart.reasons.length > 1 ? ` (+${chart.reasons.length - 1})` : '';
  return [chart.name, chart.path || '.', chart.currentVersion, chart.nextVersion, chart.bump, chart.action, why ? `${why.message}${more}` : ''];
}
