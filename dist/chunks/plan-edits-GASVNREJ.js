import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-U4CXIC2J.js";import"./chunk-FJUCEE2G.js";import"./chunk-35ZTY3S3.js";import"./chunk-6FOMCJCE.js";import"./chunk-JXUTGC62.js";import"./chunk-RNE6YAWX.js";import"./chunk-4DTTCMZZ.js";import"./chunk-3XPAOOYO.js";import"./chunk-Y3Y6JMJ4.js";import"./chunk-MBMCJVVR.js";import"./chunk-P6QGQFKQ.js";import"./chunk-JTO7CUDJ.js";export{o as applyPlan,p as applyPlanEdits,m as asPublished,t as planEdits,r as withPlanEdits};
//# sourceMappingURL=plan-edits-GASVNREJ.js.map
