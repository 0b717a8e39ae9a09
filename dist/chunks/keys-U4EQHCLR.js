import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{l as o,m as r,n as m}from"./chunk-744NGGGV.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{m as didYouMean,o as dottedKey,r as nearMiss};
//# sourceMappingURL=keys-U4EQHCLR.js.map
