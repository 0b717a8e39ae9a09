import type { MetadataField, RuleSeverity } from '../config/index.js';
import { POLICY_RULE_IDS, type PolicyRuleId } from '../model/policy.js';

/** What a rule is, for the reports and the README's table; the checks live in their own modules. */
export interface RuleDefinition {
  id: PolicyRuleId;
  /** One line: why a platform asks for it. */
  rationale: string;
  /** What is checked, and how. */
  checks: string;
  /** Rules that need the chart rendered by helm are not checked without it. */
  renders: boolean;
  severity: Exclude<RuleSeverity, 'off'>;
  /** The configuration keys it takes besides `severity`, with their defaults. */
  options: Record<string, readonly string[]>;
}

/** Where charts take their registry and pull secrets from, by convention (AOSM, Bitnami, helm create). */
export const DEFAULT_REGISTRY_VALUES = ['global.registryPath', 'global.imageRegistry'] as const;
export const DEFAULT_PULL_SECRET_VALUES = ['imagePullSecrets', 'global.imagePullSecrets'] as const;
export const DEFAULT_MUTABLE_TAGS = ['latest', 'dev', 'stable', 'main', 'master'] as const;
export const DEFAULT_METADATA_FIELDS: readonly MetadataField[] = ['description', 'maintainers', 'sources', 'kubeVersion', 'icon'];

const DEFINITIONS: Omit<RuleDefinition, 'id'>[] = [
  {
    rationale: 'Values are checked before anything is deployed, and a platform can show and validate the chart\'s settings.',
    checks: 'values.schema.json exists, is a valid JSON Schema as helm 3 (draft-07) and helm 4 (its `$schema`, default 2020-12) read it, and values.yaml validates against it.',
    renders: false,
    severity: 'error',
    options: {},
  },
  {
    rationale: 'A platform that mirrors images into its own registry must be able to point every image at it.',
    checks: 'Rendered with a sentinel at the registry values, every container image (containers, initContainers, ephemeralContainers of every workload) carries the sentinel.',
    renders: true,
    severity: 'error',
    options: { values: DEFAULT_REGISTRY_VALUES },
  },
  {
    rationale: 'A private registry needs credentials, which the platform must be able to hand to every pod.',
    checks: 'Rendered with a sentinel pull secret at the pull-secret values, every pod spec lists it in `imagePullSecrets`.',
    renders: true,
    severity: 'error',
    options: { values: DEFAULT_PULL_SECRET_VALUES },
  },
  {
    rationale: 'A tag that moves deploys something else on every pull: releases must be reproducible.',
    checks: 'No image, rendered with the chart\'s defaults, has a mutable tag or none; digests pass.',
    renders: true,
    severity: 'error',
    options: { 'mutable-tags': DEFAULT_MUTABLE_TAGS },
  },
  {
    rationale: 'A chart deployed as shipped must pull only from registries the platform trusts.',
    checks: 'Every image host, rendered with the chart\'s defaults (no host means docker.io), is in `allowed-registries` (the `policy-allowed-registries` input); not checked while that list is empty.',
    renders: true,
    severity: 'error',
    options: { 'allowed-registries': [] },
  },
  {
    rationale: 'A catalogue shows who owns a chart, where its source is and which clusters it supports; a version names one content.',
    checks: 'Chart.yaml has the `fields` (description, maintainers with names, sources, kubeVersion, icon); with registries to compare (`lint --registry`), a version already published holds the same content.',
    renders: false,
    severity: 'error',
    options: { fields: DEFAULT_METADATA_FIELDS },
  },
];

export const RULES: readonly RuleDefinition[] = POLICY_RULE_IDS.map((id, i) => ({ id, ...DEFINITIONS[i]! }));

export function ruleDefinition(id: PolicyRuleId): RuleDefinition {
  return RULES.find((r) => r.id === id)!;
}

/** The README's table of rules, generated from the definitions above (test/policy/readme.test.ts keeps it current). */
export function rulesTable(): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const options = (rule: RuleDefinition) =>
    Object.entries(rule.options)
      .map(([key, value]) => `\`${key}\`${value.length ? `: ${value.map((v) => `\`${v}\``).join(', ')}` : ' (empty)'}`)
      .join('<br>') || '—';
  const rows = RULES.map((r) => `| \`${r.id}\` | ${escape(r.rationale)} | ${escape(r.checks)} | ${r.renders ? 'yes' : 'no'} | ${options(r)} |`);
  return ['| rule | why | what is checked | renders with helm | options (defaults) |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
