import { chartMatcher } from '../charts/discover.js';
import { appVersionProblem, type VersioningConfig, type VersioningRules } from '../config/index.js';
import { ChartshipError } from '../model/errors.js';
import type { VersioningOptions } from '../versioning/decide.js';

export type AppVersionPolicy = 'keep' | 'follow' | { value: string };

/** How one chart is versioned: the versioning rules, and what becomes of its appVersion. */
export interface ChartVersioning extends VersioningOptions {
  appVersion?: AppVersionPolicy;
}

/** `keep`, `follow` or `value:TEXT`, as inputs, flags and .chartship.yaml write it; `field` names where it came from. */
export function appVersionPolicy(value: string | undefined, field: string, at: object = {}): AppVersionPolicy | undefined {
  if (value === undefined || value === 'keep' || value === 'follow') return value;
  const problem = appVersionProblem(value);
  if (problem) throw new ChartshipError(problem.message, { field, code: 'CONFIG_INVALID', ...at, ...(problem.hint ? { hint: problem.hint } : {}) });
  return { value: value.slice('value:'.length) };
}

function fromConfig(rules: VersioningRules, where: string): ChartVersioning {
  const out: ChartVersioning = {};
  if (rules['bump-minor-pre-major'] !== undefined) out.bumpMinorPreMajor = rules['bump-minor-pre-major'];
  if (rules['bump-patch-for-minor-pre-major'] !== undefined) out.bumpPatchForMinorPreMajor = rules['bump-patch-for-minor-pre-major'];
  if (rules['other-types'] !== undefined) out.otherTypes = rules['other-types'];
  if (rules['changelog-types'] !== undefined) out.changelogTypes = rules['changelog-types'];
  if (rules.prerelease !== undefined) out.prerelease = rules.prerelease;
  if (rules['release-as'] !== undefined) out.releaseAs = rules['release-as'];
  const app = appVersionPolicy(rules['app-version'], `${where}.app-version`);
  if (app !== undefined) out.appVersion = app;
  return out;
}

/** Only the keys that are set, so a spread does not erase what a lower level set. */
function defined(options: ChartVersioning): ChartVersioning {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/**
 * Each chart's versioning, from the lowest level up: the defaults, the top of the `versioning:` section, what the
 * inputs or flags give (they are for every chart), then the section's `charts:` entries that match the chart, later
 * ones winning. A bad `match` glob fails here, at its line, before any chart is looked at.
 */
export function versioningRules(config: VersioningConfig | undefined, given: ChartVersioning): (chart: { name: string; path: string }) => ChartVersioning {
  const base = { ...(config ? fromConfig(config.rules, 'versioning') : {}), ...defined(given) };
  const overrides = (config?.charts ?? []).map((entry, i) => {
    try {
      return { matches: chartMatcher(entry.match), rules: fromConfig(entry.rules, `versioning.charts[${i}]`) };
    } catch (error) {
      if (error instanceof ChartshipError) throw error;
      throw new ChartshipError(error instanceof Error ? error.message : String(error), { ...entry.at, field: `versioning.charts[${i}].match`, code: 'CONFIG_INVALID' });
    }
  });
  return (chart) => overrides.reduce((rules, o) => (o.matches(chart) ? { ...rules, ...o.rules } : rules), base);
}
