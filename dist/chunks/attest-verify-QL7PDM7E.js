import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-FVZASNTH.js";import"./chunk-N62AI64E.js";import"./chunk-YSHSU7G2.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{a as verifyChartAttestations};
//# sourceMappingURL=attest-verify-QL7PDM7E.js.map
