import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{b as e}from"./chunk-JTO7CUDJ.js";function c(){return d??=import("./undici-2KXTP6SM.js").then(i=>n=i.default??i),d}function o(){return n}var d,n,t=e(()=>{"use strict"});export{c as a,o as b,t as c};
//# sourceMappingURL=chunk-WMX7K2PJ.js.map
