import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{h as o,i as r,j as m,k as p,l as t,m as i}from"./chunk-ADXDMLPB.js";import"./chunk-HYZP67ER.js";import"./chunk-RNE6YAWX.js";import"./chunk-3XZ4LPZL.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{t as ciEvent,p as inVariableTerms,i as namedBranch,m as readRawSettings,r as registriesReached,o as settingFlags};
//# sourceMappingURL=settings-JYKXFTEQ.js.map
