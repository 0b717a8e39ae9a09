import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{d as o,e as r}from"./chunk-ADXDMLPB.js";import"./chunk-HYZP67ER.js";import"./chunk-RNE6YAWX.js";import"./chunk-3XZ4LPZL.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-YCSCB3D2.js.map
