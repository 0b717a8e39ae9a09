import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-YGQBJBHB.js";import"./chunk-JLBWNGLW.js";import"./chunk-RNE6YAWX.js";import"./chunk-J2YD6PO4.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-R6OGPSV5.js.map
