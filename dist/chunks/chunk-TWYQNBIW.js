import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
var e=t=>t||".";export{e as a};
//# sourceMappingURL=chunk-TWYQNBIW.js.map
