import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-7N65LGSY.js";import"./chunk-ADXDMLPB.js";import"./chunk-EEJVR2XE.js";import"./chunk-JDXFRDWL.js";import"./chunk-HYZP67ER.js";import"./chunk-RNE6YAWX.js";import"./chunk-PH5Q6JPQ.js";import"./chunk-3XPAOOYO.js";import"./chunk-3XZ4LPZL.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{o as applyPlan,p as applyPlanEdits,m as asPublished,t as planEdits,r as withPlanEdits};
//# sourceMappingURL=plan-edits-PBU2H36C.js.map
