import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-PH5Q6JPQ.js";import"./chunk-3XPAOOYO.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{o as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-JLRKN72B.js.map
