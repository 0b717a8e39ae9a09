import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-SJCQRYEO.js";import"./chunk-7O7XIOMS.js";import"./chunk-D44PW7PQ.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as verifyChartAttestations};
//# sourceMappingURL=attest-verify-Y2QLEM5W.js.map
