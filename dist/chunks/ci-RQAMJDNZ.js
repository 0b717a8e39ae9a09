import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{e as o,f as r}from"./chunk-TKEKUT4Y.js";import"./chunk-XRWPEEV6.js";import"./chunk-E62TDGS2.js";import"./chunk-TXIGZPSC.js";import"./chunk-3ZVB2U6R.js";import"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";export{o as ciSystem,r as inCiTerms};
//# sourceMappingURL=ci-RQAMJDNZ.js.map
