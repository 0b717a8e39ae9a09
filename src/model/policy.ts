/**
 * The chart policy's vocabulary, shared by the configuration (which rules exist), the policy service (which finds),
 * the pipeline (which gates on them) and the reports (which show them).
 */

import { locationText } from './errors.js';

/** Every rule, in the order reports list them. */
export const POLICY_RULE_IDS = [
  'values-schema',
  'image-registry-configurable',
  'image-pull-secrets-configurable',
  'immutable-image-tags',
  'no-external-registry',
  'chart-metadata',
] as const;

export type PolicyRuleId = (typeof POLICY_RULE_IDS)[number];

/** `off`: no policy. `warn`: findings are reported. `enforce`: a chart with an error finding is not published. */
export const POLICY_MODES = ['off', 'warn', 'enforce'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];

export type FindingSeverity = 'error' | 'warning';

/** One thing a chart does against a rule, where it does it. */
export interface PolicyFinding {
  rule: PolicyRuleId;
  severity: FindingSeverity;
  message: string;
  /** Relative to the repository root, `/`-separated. */
  file: string;
  line?: number;
  column?: number;
}

/** A rule that applies to a chart but could not be checked, and why (helm not on PATH, a chart helm cannot render). */
export interface PolicyNotChecked {
  rule: PolicyRuleId;
  reason: string;
}

export interface ChartPolicyResult {
  chart: string;
  /** Chart directory relative to the repository root. */
  path: string;
  findings: PolicyFinding[];
  notChecked: PolicyNotChecked[];
}

export interface PolicyReport {
  mode: Exclude<PolicyMode, 'off'>;
  charts: ChartPolicyResult[];
  /** What rendered the charts (`helm v3.17.3`), or undefined when nothing could. */
  renderer?: string;
}

/** Whether the policy keeps a chart from being published: enforce mode and at least one error finding. */
export function failsPolicy(result: ChartPolicyResult, mode: PolicyMode): boolean {
  return mode === 'enforce' && result.findings.some((f) => f.severity === 'error');
}

/** `file:line:col`, as far as it is known. */
export function findingLocation(finding: Pick<PolicyFinding, 'file' | 'line' | 'column'>): string {
  return locationText(finding);
}

/** What was not checked, once per reason: "helm is not on PATH" for twenty charts is said once. */
export function notCheckedByReason(report: PolicyReport): { reason: string; rules: string[]; charts: string[] }[] {
  const byReason = new Map<string, { rules: Set<string>; charts: Set<string> }>();
  for (const chart of report.charts) {
    for (const n of chart.notChecked) {
      const entry = byReason.get(n.reason) ?? { rules: new Set(), charts: new Set() };
      entry.rules.add(n.rule);
      entry.charts.add(chart.chart);
      byReason.set(n.reason, entry);
    }
  }
  return [...byReason].map(([reason, e]) => ({ reason, rules: [...e.rules], charts: [...e.charts] }));
}
