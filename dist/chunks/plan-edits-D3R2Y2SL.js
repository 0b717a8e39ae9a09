import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-4IEJZNCU.js";import"./chunk-JXZCVT6V.js";import"./chunk-PA6VMEGQ.js";import"./chunk-GRHADQZ3.js";import"./chunk-F4HVGA7N.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-3XPAOOYO.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,d as applyPlanEdits,c as asPublished,e as planEdits,b as withPlanEdits};
//# sourceMappingURL=plan-edits-D3R2Y2SL.js.map
