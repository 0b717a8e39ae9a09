import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-RKEOQZOY.js";import"./chunk-JTO7CUDJ.js";export default a();
//# sourceMappingURL=undici-DPQ5D3NT.js.map
