import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{m as o,n as r,o as m}from"./chunk-Y3Y6JMJ4.js";import"./chunk-MBMCJVVR.js";import"./chunk-P6QGQFKQ.js";import"./chunk-JTO7CUDJ.js";export{m as didYouMean,o as dottedKey,r as nearMiss};
//# sourceMappingURL=keys-5BCOZ3LN.js.map
