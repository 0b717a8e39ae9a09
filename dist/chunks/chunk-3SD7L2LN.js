import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as r,b as u,c as l}from"./chunk-VPIJCXAT.js";import{t as o,u as c}from"./chunk-IASCLVL6.js";import{c as a}from"./chunk-3YDHQIRY.js";var _=a(e=>{"use strict";Object.defineProperty(e,"__esModule",{value:!0});var d=r(),i=u(),n=o(),s=c(),t=l(),f=[d.default,i.default,(0,n.default)(),s.default,t.metadataVocabulary,t.contentVocabulary];e.default=f});export{_ as a};
//# sourceMappingURL=chunk-3SD7L2LN.js.map
