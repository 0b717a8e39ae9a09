import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-BM7LZKX3.js";import"./chunk-JTO7CUDJ.js";export default a();
//# sourceMappingURL=undici-37HE5UOR.js.map
