import { describeError } from '../model/errors.js';
import type { ChartPolicyResult, PolicyFinding, PolicyNotChecked, PolicyRuleId } from '../model/policy.js';
import { checkMetadata } from './metadata.js';
import { checkRendered } from './rendered.js';
import { ruleDefinition } from './rules.js';
import { enabledRules, type EffectivePolicy } from './settings.js';
import type { PolicyChart, PolicyContext, RuleOutcome } from './types.js';
import { checkValuesSchema } from './values-schema.js';

export const HELM_MISSING = 'helm is not on PATH: this rule renders the chart with `helm template`';

/**
 * Checks one chart against its policy. A library chart renders nothing and its values are its users' business, so
 * only `chart-metadata` applies to it.
 */
export async function evaluateChart(chart: PolicyChart, policy: EffectivePolicy, ctx: PolicyContext): Promise<ChartPolicyResult> {
  const library = chart.file.metadata.type === 'library';
  const rules = enabledRules(policy).filter((id) => !library || id === 'chart-metadata');
  const outcomes = new Map<PolicyRuleId, RuleOutcome>();
  // A check that breaks (an unreadable file, a dependency that cannot be fetched to render) is reported as not
  // checked, never taken for a pass, and the other rules still run.
  const check = async (ids: PolicyRuleId[], run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      for (const id of ids) outcomes.set(id, { spots: [], notChecked: `the check failed: ${describeError(error)}` });
    }
  };

  if (rules.includes('values-schema')) await check(['values-schema'], async () => void outcomes.set('values-schema', await checkValuesSchema(chart, ctx)));
  if (rules.includes('chart-metadata')) await check(['chart-metadata'], async () => void outcomes.set('chart-metadata', await checkMetadata(chart, policy['chart-metadata'].fields, ctx)));
  const rendering = rules.filter((id) => ruleDefinition(id).renders) as Parameters<typeof checkRendered>[2];
  if (rendering.length > 0) {
    if (!ctx.renderer) for (const id of rendering) outcomes.set(id, { spots: [], notChecked: HELM_MISSING });
    else await check(rendering, async () => {
      for (const [id, outcome] of await checkRendered(chart, policy, rendering, ctx)) outcomes.set(id, outcome);
    });
  }

  const findings: PolicyFinding[] = [];
  const notChecked: PolicyNotChecked[] = [];
  for (const id of rules) {
    const outcome = outcomes.get(id);
    if (!outcome) continue;
    const severity = policy[id].severity === 'warning' ? 'warning' : 'error';
    for (const spot of outcome.spots) findings.push({ rule: id, severity, ...spot });
    if (outcome.notChecked) notChecked.push({ rule: id, reason: outcome.notChecked });
  }
  return { chart: chart.name, path: chart.path, findings, notChecked };
}
