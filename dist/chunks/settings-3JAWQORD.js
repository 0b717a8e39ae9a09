import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{h as o,i as r,j as m,k as p,l as t,m as i}from"./chunk-FJUCEE2G.js";import"./chunk-JXUTGC62.js";import"./chunk-RNE6YAWX.js";import"./chunk-Y3Y6JMJ4.js";import"./chunk-MBMCJVVR.js";import"./chunk-P6QGQFKQ.js";import"./chunk-JTO7CUDJ.js";export{t as ciEvent,p as inVariableTerms,i as namedBranch,m as readRawSettings,r as registriesReached,o as settingFlags};
//# sourceMappingURL=settings-3JAWQORD.js.map
