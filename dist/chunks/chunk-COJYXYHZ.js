import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
var _="0.1.0",n=_?`chartship/${_}`:"chartship";export{_ as a,n as b};
//# sourceMappingURL=chunk-COJYXYHZ.js.map
