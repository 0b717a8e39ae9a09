import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-53LE3WEL.js";import"./chunk-LQQU3LSM.js";import"./chunk-YPVKQEXT.js";import"./chunk-GRHADQZ3.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-3XPAOOYO.js";import"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";export{a as applyPlan,b as applyPlanEdits,c as planEdits};
//# sourceMappingURL=plan-edits-ZWIC55AS.js.map
