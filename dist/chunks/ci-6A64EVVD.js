import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-6FDSSOP3.js";import"./chunk-C6CSXH2R.js";import"./chunk-DYPCRCDX.js";import"./chunk-5I6LW3OS.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-6A64EVVD.js.map
