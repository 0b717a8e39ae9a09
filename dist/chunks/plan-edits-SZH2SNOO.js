import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-HZIAODCG.js";import"./chunk-WLPZWIUH.js";import"./chunk-7YNQUMHW.js";import"./chunk-GRHADQZ3.js";import"./chunk-VPCAKDHY.js";import"./chunk-3XPAOOYO.js";import"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,b as applyPlanEdits,c as planEdits};
//# sourceMappingURL=plan-edits-SZH2SNOO.js.map
