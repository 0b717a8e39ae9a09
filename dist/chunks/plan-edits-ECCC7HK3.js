import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-KH7PLGQR.js";import"./chunk-ZLID2GCG.js";import"./chunk-5QARNXAB.js";import"./chunk-GRHADQZ3.js";import"./chunk-F4HVGA7N.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-3XPAOOYO.js";import"./chunk-BSA2U277.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,d as applyPlanEdits,c as asPublished,e as planEdits,b as withPlanEdits};
//# sourceMappingURL=plan-edits-ECCC7HK3.js.map
