import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as r}from"./chunk-4DTTCMZZ.js";import{ka as m}from"./chunk-MBMCJVVR.js";m(r);
//# sourceMappingURL=chunk-6FOMCJCE.js.map
