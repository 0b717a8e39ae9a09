import type { SchemaObject } from 'ajv';
import { POLICY_RULE_IDS, type PolicyRuleId } from '../model/policy.js';
import { ChartshipError } from '../model/errors.js';
import type { ConfigPath, ConfigPosition } from './document.js';
import { dottedKey } from './keys.js';

/** The `policy:` section of .chartship.yaml: which rules apply, how severely, with what lists, per chart. */

export const RULE_SEVERITIES = ['error', 'warning', 'off'] as const;
export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

/** The Chart.yaml fields `chart-metadata` can require. */
export const METADATA_FIELDS = ['description', 'maintainers', 'sources', 'kubeVersion', 'icon'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

/** One rule's settings: `values-schema: warning` is short for `values-schema: {severity: warning}`. */
export interface RuleSettings {
  severity?: RuleSeverity;
  /** Value paths (`global.registryPath`) a sentinel is set at when rendering. */
  values?: string[];
  'mutable-tags'?: string[];
  'allowed-registries'?: string[];
  fields?: MetadataField[];
}

export type RulesConfig = Partial<Record<PolicyRuleId, RuleSettings>>;

export interface ChartOverride {
  /** A glob of chart directories; without `/`, a chart name or a directory's base name (as `exclude`). */
  match: string;
  rules: RulesConfig;
  /** Where `match` was written, for errors about it. */
  at?: ConfigPosition;
}

export interface PolicyConfig {
  rules: RulesConfig;
  /** Later entries win over earlier ones, and all over `rules`. */
  charts: ChartOverride[];
}

const SEVERITY = { enum: [...RULE_SEVERITIES] };
const STRINGS = { type: 'array', items: { type: 'string', minLength: 1 } };
/** At least one: a sentinel set nowhere fails every image and pod spec, whatever the chart. */
const VALUE_PATHS = {
  type: 'array',
  minItems: 1,
  description: 'the value paths the sentinel is set at; to skip the rule, set its severity to off',
  items: { type: 'string', pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$' },
};

/** What each rule takes besides its severity. */
const RULE_OPTIONS: Record<PolicyRuleId, Record<string, SchemaObject>> = {
  'values-schema': {},
  'image-registry-configurable': { values: VALUE_PATHS },
  'image-pull-secrets-configurable': { values: VALUE_PATHS },
  'immutable-image-tags': { 'mutable-tags': STRINGS },
  'no-external-registry': { 'allowed-registries': STRINGS },
  'chart-metadata': { fields: { type: 'array', items: { enum: [...METADATA_FIELDS] } } },
};

const RULES_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    POLICY_RULE_IDS.map((id) => [
      id,
      {
        type: ['string', 'object'],
        if: { type: 'string' },
        then: SEVERITY,
        else: { type: 'object', additionalProperties: false, properties: { severity: SEVERITY, ...RULE_OPTIONS[id] } },
      },
    ]),
  ),
};

export const POLICY_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: RULES_SCHEMA,
    charts: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['match'], properties: { match: { type: 'string', minLength: 1 }, rules: RULES_SCHEMA } },
    },
  },
};

type RawRules = Partial<Record<PolicyRuleId, RuleSeverity | RuleSettings>>;
interface RawPolicy {
  rules?: RawRules;
  charts?: { match: string; rules?: RawRules }[];
}

/**
 * Refuses an allow-list entry that can match no image (`no-external-registry` compares each image's `host/path` with
 * the entries as prefixes), offering the entry to write; `where` names the input or the file's line.
 */
export function checkAllowedRegistry(entry: string, where: { field: string } & Partial<ConfigPosition>): void {
  const problem = allowedRegistryProblem(entry);
  if (problem) throw new ChartshipError(`${JSON.stringify(entry)} can match no image`, { ...where, code: 'CONFIG_INVALID', hint: problem });
}

/** Why an allow-list entry can match no image, with the entry to write instead; undefined for `HOST[:PORT][/PATH]`. */
function allowedRegistryProblem(entry: string): string | undefined {
  const prefix = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/i;
  if (prefix.test(entry.replace(/\/+$/, ''))) return undefined;
  // What it probably means: its host/path, without the scheme, glob, tag or digest that keeps it from matching.
  const meant = (entry.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[*?[@]/)[0] ?? '').replace(/(\/[^/:]*):[^/]*$/, '$1').replace(/\/+$/, '');
  return prefix.test(meant)
    ? `entries are registry hosts or host/path prefixes, with no scheme, glob, tag or digest: write ${meant}`
    : 'entries are registry hosts or host/path prefixes, e.g. ghcr.io/acme';
}

function readRules(raw: RawRules | undefined): RulesConfig {
  const out: RulesConfig = {};
  for (const [id, value] of Object.entries(raw ?? {}) as [PolicyRuleId, RuleSeverity | RuleSettings][]) {
    out[id] = typeof value === 'string' ? { severity: value } : { ...value };
  }
  return out;
}

/** The validated section (or its absence) as PolicyConfig. */
export function readPolicySection(raw: unknown, locate: (path: ConfigPath) => ConfigPosition | undefined): PolicyConfig {
  const policy = (raw ?? {}) as RawPolicy;
  const checkAllowed = (rules: RawRules | undefined, at: ConfigPath) => {
    const entry = rules?.['no-external-registry'];
    const list = typeof entry === 'object' ? entry['allowed-registries'] : undefined;
    list?.forEach((value, i) => {
      const path = [...at, 'no-external-registry', 'allowed-registries', i];
      checkAllowedRegistry(value, { ...locate(path), field: dottedKey(path) });
    });
  };
  checkAllowed(policy.rules, ['policy', 'rules']);
  (policy.charts ?? []).forEach((entry, i) => checkAllowed(entry.rules, ['policy', 'charts', i, 'rules']));
  return {
    rules: readRules(policy.rules),
    charts: (policy.charts ?? []).map((entry, i) => {
      const at = locate(['policy', 'charts', i, 'match']);
      return { match: entry.match, rules: readRules(entry.rules), ...(at ? { at } : {}) };
    }),
  };
}
