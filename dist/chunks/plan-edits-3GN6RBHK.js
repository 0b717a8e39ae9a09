import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-472CCA2H.js";import"./chunk-FODDY6CC.js";import"./chunk-QVV4WSI6.js";import"./chunk-IBDQAICT.js";import"./chunk-PA6VMEGQ.js";import"./chunk-CF3BM3ED.js";import"./chunk-F4HVGA7N.js";import"./chunk-LXDHP64L.js";import"./chunk-M3XPVKKJ.js";import"./chunk-7NMH7UEN.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,d as applyPlanEdits,c as asPublished,e as planEdits,b as withPlanEdits};
//# sourceMappingURL=plan-edits-3GN6RBHK.js.map
