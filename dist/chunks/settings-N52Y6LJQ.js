import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{i as o,j as r,k as m,l as p,m as t,n as i}from"./chunk-TKEKUT4Y.js";import"./chunk-XRWPEEV6.js";import"./chunk-E62TDGS2.js";import"./chunk-TXIGZPSC.js";import"./chunk-3ZVB2U6R.js";import"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";export{t as ciEvent,p as inVariableTerms,i as namedBranch,m as readRawSettings,r as registriesReached,o as settingFlags};
//# sourceMappingURL=settings-N52Y6LJQ.js.map
