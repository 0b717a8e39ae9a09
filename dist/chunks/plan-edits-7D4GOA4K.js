import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-JQEZXTFX.js";import"./chunk-SAKXOCSR.js";import"./chunk-COFX4HJE.js";import"./chunk-FAQQIHJK.js";import"./chunk-PA6VMEGQ.js";import"./chunk-GRMN6CST.js";import"./chunk-F4HVGA7N.js";import"./chunk-LXDHP64L.js";import"./chunk-DJ352LYE.js";import"./chunk-A4RPCBE7.js";import"./chunk-OACEBNW2.js";import"./chunk-3XPAOOYO.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,d as applyPlanEdits,c as asPublished,e as planEdits,b as withPlanEdits};
//# sourceMappingURL=plan-edits-7D4GOA4K.js.map
