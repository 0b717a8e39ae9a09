import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-ZCAH2WHL.js";import"./chunk-K7XY3ISG.js";import"./chunk-UIJTFT76.js";import"./chunk-E37SNOHU.js";import"./chunk-PA6VMEGQ.js";import"./chunk-A5UM3JRS.js";import"./chunk-F4HVGA7N.js";import"./chunk-LXDHP64L.js";import"./chunk-UGRU6ZWK.js";import"./chunk-A4RPCBE7.js";import"./chunk-OACEBNW2.js";import"./chunk-3XPAOOYO.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,d as applyPlanEdits,c as asPublished,e as planEdits,b as withPlanEdits};
//# sourceMappingURL=plan-edits-GF72445S.js.map
