import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{m as o,n as r,o as m}from"./chunk-VPMHZWKU.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{m as didYouMean,o as dottedKey,r as nearMiss};
//# sourceMappingURL=keys-RVDA52UK.js.map
