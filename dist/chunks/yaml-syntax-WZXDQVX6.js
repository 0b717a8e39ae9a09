import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-4JBVRQLL.js";import"./chunk-KSMEETM6.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-WZXDQVX6.js.map
