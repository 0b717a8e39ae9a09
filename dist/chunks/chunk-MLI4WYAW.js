import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
var d,n;function e(){return d??=import("./undici-WKVA2DN7.js").then(i=>n=i.default??i),d}function t(){return n}export{e as a,t as b};
//# sourceMappingURL=chunk-MLI4WYAW.js.map
