import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as r}from"./chunk-SMLOMKWH.js";import{ka as m}from"./chunk-EH2HKK3V.js";m(r);
//# sourceMappingURL=chunk-45MS26N2.js.map
