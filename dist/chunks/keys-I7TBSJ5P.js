import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{m as o,n as r,o as m}from"./chunk-TXIGZPSC.js";import"./chunk-3ZVB2U6R.js";import"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";export{m as didYouMean,o as dottedKey,r as nearMiss};
//# sourceMappingURL=keys-I7TBSJ5P.js.map
