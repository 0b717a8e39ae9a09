import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b}from"./chunk-JWISYX7L.js";import"./chunk-JTO7CUDJ.js";export{b as didYouMean,a as dottedKey};
//# sourceMappingURL=keys-CMIKJRW5.js.map
