import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{h as o,i as r,j as m,k as p,l as t,m as i}from"./chunk-YAXQEQ5B.js";import"./chunk-ZUBQE74Q.js";import"./chunk-RNE6YAWX.js";import"./chunk-XXZ63LND.js";import"./chunk-EH2HKK3V.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{t as ciEvent,p as inVariableTerms,i as namedBranch,m as readRawSettings,r as registriesReached,o as settingFlags};
//# sourceMappingURL=settings-BXVYTQ37.js.map
