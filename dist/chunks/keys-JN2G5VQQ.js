import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{m as o,n as r,o as m}from"./chunk-3XZ4LPZL.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{m as didYouMean,o as dottedKey,r as nearMiss};
//# sourceMappingURL=keys-JN2G5VQQ.js.map
