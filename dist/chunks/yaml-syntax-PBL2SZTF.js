import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-SBQGRVXV.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import"./chunk-C5D5W6JD.js";import"./chunk-JTO7CUDJ.js";export{a as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-PBL2SZTF.js.map
