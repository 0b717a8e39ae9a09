import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{g as m}from"./chunk-M3XPVKKJ.js";import{a as r}from"./chunk-7NMH7UEN.js";m(r);
//# sourceMappingURL=chunk-IBDQAICT.js.map
