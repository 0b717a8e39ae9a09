import { chartMatcher } from '../charts/discover.js';
import type { MetadataField, PolicyConfig, RuleSeverity, RuleSettings, RulesConfig } from '../config/index.js';
import { ChartshipError } from '../model/errors.js';
import { POLICY_RULE_IDS, type PolicyRuleId } from '../model/policy.js';
import { RULES } from './rules.js';

/** One rule as it applies to one chart: the defaults, then .chartship.yaml, then its matching `charts:` entries. */
export interface EffectiveRule {
  severity: RuleSeverity;
  values: string[];
  mutableTags: string[];
  allowedRegistries: string[];
  fields: MetadataField[];
}

export type EffectivePolicy = Record<PolicyRuleId, EffectiveRule>;

export interface PolicySettings {
  config: PolicyConfig;
  /** The `policy-allowed-registries` input: replaces the configured allow-list when given. */
  allowedRegistries?: string[];
}

function defaults(): EffectivePolicy {
  const policy = {} as EffectivePolicy;
  for (const rule of RULES) {
    policy[rule.id] = {
      severity: rule.severity,
      values: [...(rule.options['values'] ?? [])],
      mutableTags: [...(rule.options['mutable-tags'] ?? [])],
      allowedRegistries: [...(rule.options['allowed-registries'] ?? [])],
      fields: [...((rule.options['fields'] ?? []) as MetadataField[])],
    };
  }
  return policy;
}

function apply(policy: EffectivePolicy, rules: RulesConfig): void {
  for (const [id, settings] of Object.entries(rules) as [PolicyRuleId, RuleSettings][]) {
    const rule = policy[id];
    if (settings.severity !== undefined) rule.severity = settings.severity;
    if (settings.values !== undefined) rule.values = [...settings.values];
    if (settings['mutable-tags'] !== undefined) rule.mutableTags = [...settings['mutable-tags']];
    if (settings['allowed-registries'] !== undefined) rule.allowedRegistries = [...settings['allowed-registries']];
    if (settings.fields !== undefined) rule.fields = [...settings.fields];
  }
}

/**
 * The policy of each chart, from the settings. The `charts:` globs are compiled here, so a bad one fails the run at
 * its line in .chartship.yaml before any chart is looked at.
 */
export function compilePolicy(settings: PolicySettings): (chart: { name: string; path: string }) => EffectivePolicy {
  const overrides = settings.config.charts.map((entry, i) => {
    try {
      return { matches: chartMatcher(entry.match), rules: entry.rules };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ChartshipError(message, { ...entry.at, field: `policy.charts[${i}].match`, code: 'CONFIG_INVALID' });
    }
  });
  return (chart) => {
    const policy = defaults();
    apply(policy, settings.config.rules);
    for (const o of overrides) if (o.matches(chart)) apply(policy, o.rules);
    if (settings.allowedRegistries?.length) policy['no-external-registry'].allowedRegistries = [...settings.allowedRegistries];
    return policy;
  };
}

export function enabledRules(policy: EffectivePolicy): PolicyRuleId[] {
  return POLICY_RULE_IDS.filter((id) => policy[id].severity !== 'off');
}
