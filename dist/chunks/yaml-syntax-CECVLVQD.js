import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-INTZSCW5.js";import"./chunk-LQ7TSBHJ.js";import"./chunk-3ZVB2U6R.js";import"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";export{o as readGoYamlSyntax};
//# sourceMappingURL=yaml-syntax-CECVLVQD.js.map
