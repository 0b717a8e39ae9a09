import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{h as o,i as r,j as m,k as p,l as t,m as i}from"./chunk-MVGFLWKM.js";import"./chunk-EXSKEOWL.js";import"./chunk-DYPCRCDX.js";import"./chunk-WSJNXNQ3.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{t as ciEvent,p as inVariableTerms,i as namedBranch,m as readRawSettings,r as registriesReached,o as settingFlags};
//# sourceMappingURL=settings-PWKU5ANE.js.map
