import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-SCQGL4DS.js";import"./chunk-MQHYKEFV.js";import"./chunk-3XPAOOYO.js";import"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";export{a as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-KIBBAH2Q.js.map
