import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
var f=Buffer.from([239,187,191]);function u(r){return r.subarray(0,3).equals(f)?r.subarray(3):r}export{u as a};
//# sourceMappingURL=chunk-EI64G5RN.js.map
