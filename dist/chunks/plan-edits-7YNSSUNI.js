import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-Z7FWOGME.js";import"./chunk-YAXQEQ5B.js";import"./chunk-JF5UPXET.js";import"./chunk-45MS26N2.js";import"./chunk-ZUBQE74Q.js";import"./chunk-RNE6YAWX.js";import"./chunk-SMLOMKWH.js";import"./chunk-3XPAOOYO.js";import"./chunk-XXZ63LND.js";import"./chunk-EH2HKK3V.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as applyPlan,p as applyPlanEdits,m as asPublished,t as planEdits,r as withPlanEdits};
//# sourceMappingURL=plan-edits-7YNSSUNI.js.map
