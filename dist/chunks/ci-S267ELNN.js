import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-2AV3C4Q5.js";import"./chunk-DUO4XRJ5.js";import"./chunk-DYPCRCDX.js";import"./chunk-4POIRUJF.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-S267ELNN.js.map
