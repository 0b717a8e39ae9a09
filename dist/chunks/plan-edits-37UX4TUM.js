import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-K6QSMDBB.js";import"./chunk-NXVMQOCO.js";import"./chunk-R7NS4E5P.js";import"./chunk-QVEWC76K.js";import"./chunk-FPXJVBKM.js";import"./chunk-6EXMK26Y.js";import"./chunk-F4HVGA7N.js";import"./chunk-LXDHP64L.js";import"./chunk-BBW5L5RP.js";import"./chunk-VY4SJE6H.js";import"./chunk-QBF2U7B2.js";import"./chunk-3XPAOOYO.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,d as applyPlanEdits,c as asPublished,e as planEdits,b as withPlanEdits};
//# sourceMappingURL=plan-edits-37UX4TUM.js.map
