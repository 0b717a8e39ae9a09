import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{g as m}from"./chunk-BBW5L5RP.js";import{a as r}from"./chunk-VY4SJE6H.js";m(r);
//# sourceMappingURL=chunk-QVEWC76K.js.map
