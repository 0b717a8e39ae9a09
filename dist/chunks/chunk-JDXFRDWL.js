import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as r}from"./chunk-PH5Q6JPQ.js";import{ka as m}from"./chunk-MNGVCT3G.js";m(r);
//# sourceMappingURL=chunk-JDXFRDWL.js.map
