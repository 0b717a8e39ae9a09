import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-PV5GIUO2.js";import"./chunk-JTO7CUDJ.js";export default a();
//# sourceMappingURL=undici-4TNGUVKW.js.map
