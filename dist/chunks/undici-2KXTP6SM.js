import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-6OBG3VX3.js";import"./chunk-JTO7CUDJ.js";export default a();
//# sourceMappingURL=undici-2KXTP6SM.js.map
