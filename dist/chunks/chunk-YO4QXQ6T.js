import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o,b as c,c as l}from"./chunk-DA25EHM6.js";import{t as r,u}from"./chunk-VUSAYT3V.js";import{c as a}from"./chunk-JTO7CUDJ.js";var _=a(e=>{"use strict";Object.defineProperty(e,"__esModule",{value:!0});var d=o(),i=c(),n=r(),s=u(),t=l(),f=[d.default,i.default,(0,n.default)(),s.default,t.metadataVocabulary,t.contentVocabulary];e.default=f});export{_ as a};
//# sourceMappingURL=chunk-YO4QXQ6T.js.map
