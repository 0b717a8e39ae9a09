import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-3QRHXEXB.js";import"./chunk-4BEDTVX6.js";import"./chunk-UFEMWOPB.js";import"./chunk-GRHADQZ3.js";import"./chunk-F4HVGA7N.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-3XPAOOYO.js";import"./chunk-C5D5W6JD.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,d as applyPlanEdits,c as asPublished,e as planEdits,b as withPlanEdits};
//# sourceMappingURL=plan-edits-KLKQRNSW.js.map
