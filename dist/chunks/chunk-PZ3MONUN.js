import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as r}from"./chunk-INTZSCW5.js";import{ka as m}from"./chunk-3ZVB2U6R.js";m(r);
//# sourceMappingURL=chunk-PZ3MONUN.js.map
