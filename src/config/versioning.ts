import type { SchemaObject } from 'ajv';
import { ChartshipError } from '../model/errors.js';
import type { ChangelogType } from '../model/changelog.js';
import { releaseAsVersion } from '../model/helm-semver.js';
import type { ConfigPath, ConfigPosition } from './document.js';
import { didYouMean, dottedKey } from './keys.js';

/**
 * The `versioning:` section of .chartship.yaml: how commits become versions and changelogs, for all charts and per
 * chart (`charts:` entries matched by glob, later ones winning). The keys are the action's input names where an input
 * exists; `changelog-types` and `release-as` exist only here.
 */

const APP_VERSION_POLICY = /^(keep|follow|value:.+)$/;

/** Why `value` is no appVersion policy (keep, follow or value:TEXT), with a guess at a misspelling; undefined if it is one. */
export function appVersionProblem(value: string): { message: string; hint?: string } | undefined {
  if (APP_VERSION_POLICY.test(value)) return undefined;
  const guess = didYouMean(value, ['keep', 'follow']);
  return { message: `must be keep, follow or value:TEXT, got ${JSON.stringify(value)}`, ...(guess ? { hint: `did you mean "${guess}"?` } : {}) };
}


/** What may be set for every chart and, in a `charts:` entry, for some. */
/** A prerelease channel: one SemVer identifier (`rc` gives 1.3.0-rc.0, then 1.3.0-rc.1). */
export const PRERELEASE_CHANNEL = /^[0-9A-Za-z-]+$/;

export interface VersioningRules {
  'bump-minor-pre-major'?: boolean;
  'bump-patch-for-minor-pre-major'?: boolean;
  'other-types'?: 'patch' | 'none';
  'changelog-types'?: ChangelogType[];
  prerelease?: string;
  /** `keep`, `follow` (the chart version) or `value:TEXT`. */
  'app-version'?: string;
  /** Only in a `charts:` entry: the next version of the charts it matches, while it is above their current one. */
  'release-as'?: string;
}

export interface VersioningOverride {
  /** A glob of chart directories; without `/`, a chart name or a directory's base name (as `exclude`). */
  match: string;
  rules: VersioningRules;
  at?: ConfigPosition;
}

export interface VersioningConfig {
  rules: VersioningRules;
  'release-tag-template'?: string;
  charts: VersioningOverride[];
}

const RULE_PROPERTIES: Record<string, SchemaObject> = {
  'bump-minor-pre-major': { type: 'boolean' },
  'bump-patch-for-minor-pre-major': { type: 'boolean' },
  'other-types': { enum: ['patch', 'none'] },
  'changelog-types': {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { type: 'string', pattern: '^[A-Za-z][\\w-]*$' }, section: { type: 'string', minLength: 1 }, hidden: { type: 'boolean' } },
    },
  },
  prerelease: { type: 'string', pattern: PRERELEASE_CHANNEL.source },
  'app-version': { type: 'string', minLength: 1 },
};

export const VERSIONING_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...RULE_PROPERTIES,
    'release-tag-template': { type: 'string', minLength: 1 },
    charts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['match'],
        properties: { match: { type: 'string', minLength: 1 }, ...RULE_PROPERTIES, 'release-as': { type: 'string', minLength: 1 } },
      },
    },
  },
};

type RawVersioning = VersioningRules & { 'release-tag-template'?: string; charts?: (VersioningRules & { match: string })[] };

/** The validated section (or its absence): the checks a schema cannot say well are made here, at the key's line. */
export function readVersioningSection(raw: unknown, locate: (path: ConfigPath) => ConfigPosition | undefined): VersioningConfig {
  const section = (raw ?? {}) as RawVersioning;
  const fail = (path: ConfigPath, message: string, hint?: string) =>
    new ChartshipError(message, { ...locate(['versioning', ...path]), field: dottedKey(['versioning', ...path]), code: 'CONFIG_INVALID', ...(hint ? { hint } : {}) });
  const rulesOf = (value: VersioningRules, path: ConfigPath): VersioningRules => {
    const { 'release-as': releaseAs, ...rules } = value;
    const app = rules['app-version'];
    const appProblem = app === undefined ? undefined : appVersionProblem(app);
    if (appProblem) throw fail([...path, 'app-version'], appProblem.message, appProblem.hint);
    const types = rules['changelog-types'] ?? [];
    const repeated = types.find((t, i) => types.findIndex((u) => u.type === t.type) !== i);
    if (repeated) throw fail([...path, 'changelog-types'], `lists the type ${JSON.stringify(repeated.type)} twice`);
    if (releaseAs === undefined) return rules;
    const version = releaseAsVersion(releaseAs);
    if (version === undefined) throw fail([...path, 'release-as'], `must be a SemVer version, got ${JSON.stringify(releaseAs)}`, 'e.g. 2.0.0');
    return { ...rules, 'release-as': version };
  };
  const { charts = [], 'release-tag-template': template, ...top } = section;
  if (template !== undefined) checkTagTemplate(template, (message, hint) => fail(['release-tag-template'], message, hint));
  return {
    rules: rulesOf(top, []),
    ...(template !== undefined ? { 'release-tag-template': template } : {}),
    charts: charts.map(({ match, ...rules }, i) => {
      const at = locate(['versioning', 'charts', i, 'match']);
      return { match, rules: rulesOf(rules, ['charts', i]), ...(at ? { at } : {}) };
    }),
  };
}

/**
 * `{version}` once, and `{name}` at most once with something between them: how release tags are told apart again (a
 * template without `{name}` suits one chart only, which the plan checks once it knows the charts).
 */
function checkTagTemplate(template: string, fail: (message: string, hint: string) => ChartshipError): void {
  const count = (part: string) => template.split(part).length - 1;
  if (count('{name}') > 1 || count('{version}') !== 1) {
    throw fail('must contain {version} once, and {name} at most once', 'e.g. {name}-{version}, {name}-v{version}, or v{version} for a repository of one chart');
  }
  if (template.includes('{name}{version}') || template.includes('{version}{name}')) throw fail('needs a separator between {name} and {version}', 'e.g. {name}-{version}');
}
