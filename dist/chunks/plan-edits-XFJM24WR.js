import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o,b as r,c as m,d as p,e as t}from"./chunk-ZE5ZS66N.js";import"./chunk-3OZJDZXU.js";import"./chunk-AFA3DQAK.js";import"./chunk-TISKCBMZ.js";import"./chunk-2YXVPT7A.js";import"./chunk-DYPCRCDX.js";import"./chunk-4JBVRQLL.js";import"./chunk-KSMEETM6.js";import"./chunk-VPMHZWKU.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as applyPlan,p as applyPlanEdits,m as asPublished,t as planEdits,r as withPlanEdits};
//# sourceMappingURL=plan-edits-XFJM24WR.js.map
