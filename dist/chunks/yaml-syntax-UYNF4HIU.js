import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-4SBU7V5N.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import"./chunk-YUR25DCB.js";import"./chunk-JTO7CUDJ.js";export{a as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-UYNF4HIU.js.map
