import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-3OZJDZXU.js";import"./chunk-2YXVPT7A.js";import"./chunk-DYPCRCDX.js";import"./chunk-VPMHZWKU.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-75ZUUE4W.js.map
