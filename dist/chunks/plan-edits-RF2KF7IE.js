import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-UFFFUGN6.js";import"./chunk-AJMTQVHJ.js";import"./chunk-F47RHR6L.js";import"./chunk-GRHADQZ3.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-3XPAOOYO.js";import"./chunk-YUR25DCB.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,b as applyPlanEdits,c as planEdits};
//# sourceMappingURL=plan-edits-RF2KF7IE.js.map
