import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-KQ6DVN5B.js";import"./chunk-TKEKUT4Y.js";import"./chunk-Z3ZZDWEJ.js";import"./chunk-PZ3MONUN.js";import"./chunk-XRWPEEV6.js";import"./chunk-E62TDGS2.js";import"./chunk-INTZSCW5.js";import"./chunk-LQ7TSBHJ.js";import"./chunk-TXIGZPSC.js";import"./chunk-3ZVB2U6R.js";import"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";export{o as applyPlan,p as applyPlanEdits,m as asPublished,t as planEdits,r as withPlanEdits};
//# sourceMappingURL=plan-edits-3V3I6YGF.js.map
