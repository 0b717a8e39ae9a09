import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-ORQCWLRB.js";import"./chunk-VJV7HJTP.js";import"./chunk-RWSPDFGL.js";import"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";export{o as verifyChartAttestations};
//# sourceMappingURL=attest-verify-Y7RDETVA.js.map
