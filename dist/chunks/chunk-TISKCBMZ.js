import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as r}from"./chunk-4JBVRQLL.js";import{ka as m}from"./chunk-6MQQGIMF.js";m(r);
//# sourceMappingURL=chunk-TISKCBMZ.js.map
