import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{f as m}from"./chunk-UGRU6ZWK.js";import{a as r}from"./chunk-A4RPCBE7.js";m(r);
//# sourceMappingURL=chunk-E37SNOHU.js.map
