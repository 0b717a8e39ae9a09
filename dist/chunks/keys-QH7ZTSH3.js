import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-74LJ7UZR.js";import"./chunk-JTO7CUDJ.js";export{c as didYouMean,a as dottedKey,b as nearMiss};
//# sourceMappingURL=keys-QH7ZTSH3.js.map
