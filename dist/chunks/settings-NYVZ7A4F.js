import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{h as o,i as r,j as m,k as p,l as t,m as i}from"./chunk-N2D23SZ5.js";import"./chunk-CZYRXSOL.js";import"./chunk-RNE6YAWX.js";import"./chunk-XQXQAV2L.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{t as ciEvent,p as inVariableTerms,i as namedBranch,m as readRawSettings,r as registriesReached,o as settingFlags};
//# sourceMappingURL=settings-NYVZ7A4F.js.map
