import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{c as a,d as b,e as c}from"./chunk-44YRM6Z6.js";import"./chunk-JTO7CUDJ.js";export{c as didYouMean,a as dottedKey,b as nearMiss};
//# sourceMappingURL=keys-HBKBM2IY.js.map
