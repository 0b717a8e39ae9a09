import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-SLUEFC7Y.js";import"./chunk-MVGFLWKM.js";import"./chunk-AFA3DQAK.js";import"./chunk-TISKCBMZ.js";import"./chunk-EXSKEOWL.js";import"./chunk-DYPCRCDX.js";import"./chunk-4JBVRQLL.js";import"./chunk-KSMEETM6.js";import"./chunk-WSJNXNQ3.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as applyPlan,p as applyPlanEdits,m as asPublished,t as planEdits,r as withPlanEdits};
//# sourceMappingURL=plan-edits-XWGFQF77.js.map
