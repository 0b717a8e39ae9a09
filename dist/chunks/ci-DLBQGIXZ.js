import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b}from"./chunk-V2B7AJJV.js";import"./chunk-M5MB623F.js";import"./chunk-BSA2U277.js";import"./chunk-JTO7CUDJ.js";export{a as ciSystem,b as inCiTerms};
//# sourceMappingURL=ci-DLBQGIXZ.js.map
