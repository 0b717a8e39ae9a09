import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-PUOXQ2RR.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import"./chunk-BSA2U277.js";import"./chunk-JTO7CUDJ.js";export{a as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-XV7GHJIY.js.map
