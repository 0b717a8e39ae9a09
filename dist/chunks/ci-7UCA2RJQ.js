import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-MVGFLWKM.js";import"./chunk-EXSKEOWL.js";import"./chunk-DYPCRCDX.js";import"./chunk-WSJNXNQ3.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-7UCA2RJQ.js.map
