import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-4DTTCMZZ.js";import"./chunk-3XPAOOYO.js";import"./chunk-MBMCJVVR.js";import"./chunk-P6QGQFKQ.js";import"./chunk-JTO7CUDJ.js";export{o as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-YCYWRPBZ.js.map
