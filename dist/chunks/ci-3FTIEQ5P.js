import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-PJANO22M.js";import"./chunk-7FOKZ6AS.js";import"./chunk-RNE6YAWX.js";import"./chunk-QFRVDIPC.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-3FTIEQ5P.js.map
