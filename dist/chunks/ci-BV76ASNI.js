import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b}from"./chunk-Q7ESTRZE.js";import"./chunk-M5MB623F.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{a as ciSystem,b as inCiTerms};
//# sourceMappingURL=ci-BV76ASNI.js.map
