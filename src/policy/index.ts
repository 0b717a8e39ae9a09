export { evaluateChart, HELM_MISSING } from './evaluate.js';
export { findHelm } from './helm-renderer.js';
export { batchRenders } from './render-batch.js';
export type { PackagedRender, Renderer, SetValue } from './render.js';
export { RULES, ruleDefinition, rulesTable, type RuleDefinition } from './rules.js';
export { compilePolicy, type EffectivePolicy, type PolicySettings } from './settings.js';
export type { PolicyChart, PolicyContext, PublishedContent } from './types.js';
export { renderCopy } from './render-copy.js';
