import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-SMLOMKWH.js";import"./chunk-3XPAOOYO.js";import"./chunk-EH2HKK3V.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-DZADLXMO.js.map
