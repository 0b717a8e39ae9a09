import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-LGXKOMAZ.js";import"./chunk-MJSQLL5S.js";import"./chunk-EG6MG2ZQ.js";import"./chunk-P6QGQFKQ.js";import"./chunk-JTO7CUDJ.js";export{o as verifyChartAttestations};
//# sourceMappingURL=attest-verify-LYNDKIOG.js.map
