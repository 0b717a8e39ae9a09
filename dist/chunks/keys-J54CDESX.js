import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{m as o,n as r,o as m}from"./chunk-J2YD6PO4.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{m as didYouMean,o as dottedKey,r as nearMiss};
//# sourceMappingURL=keys-J54CDESX.js.map
