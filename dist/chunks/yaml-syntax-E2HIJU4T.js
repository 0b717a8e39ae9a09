import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-7NMH7UEN.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{a as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-E2HIJU4T.js.map
