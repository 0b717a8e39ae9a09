import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{h as o,i as r,j as m,k as p,l as t,m as i}from"./chunk-3OZJDZXU.js";import"./chunk-2YXVPT7A.js";import"./chunk-DYPCRCDX.js";import"./chunk-VPMHZWKU.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{t as ciEvent,p as inVariableTerms,i as namedBranch,m as readRawSettings,r as registriesReached,o as settingFlags};
//# sourceMappingURL=settings-IM5KI5ZM.js.map
