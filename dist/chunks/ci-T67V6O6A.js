import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-FJUCEE2G.js";import"./chunk-JXUTGC62.js";import"./chunk-RNE6YAWX.js";import"./chunk-Y3Y6JMJ4.js";import"./chunk-MBMCJVVR.js";import"./chunk-P6QGQFKQ.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-T67V6O6A.js.map
