import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-N2D23SZ5.js";import"./chunk-CZYRXSOL.js";import"./chunk-RNE6YAWX.js";import"./chunk-XQXQAV2L.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-22ZYDNCI.js.map
