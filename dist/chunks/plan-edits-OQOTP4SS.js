import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-I4BBIWYJ.js";import"./chunk-2AV3C4Q5.js";import"./chunk-AFA3DQAK.js";import"./chunk-TISKCBMZ.js";import"./chunk-DUO4XRJ5.js";import"./chunk-DYPCRCDX.js";import"./chunk-4JBVRQLL.js";import"./chunk-KSMEETM6.js";import"./chunk-4POIRUJF.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as applyPlan,p as applyPlanEdits,m as asPublished,t as planEdits,r as withPlanEdits};
//# sourceMappingURL=plan-edits-OQOTP4SS.js.map
