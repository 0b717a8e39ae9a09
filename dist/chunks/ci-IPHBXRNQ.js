import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-YAXQEQ5B.js";import"./chunk-ZUBQE74Q.js";import"./chunk-RNE6YAWX.js";import"./chunk-XXZ63LND.js";import"./chunk-EH2HKK3V.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-IPHBXRNQ.js.map
