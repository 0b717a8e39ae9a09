import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-URB4Y6GT.js";import"./chunk-P75LYGGJ.js";import"./chunk-OGU7TBLC.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";export{o as verifyChartAttestations};
//# sourceMappingURL=attest-verify-U2P5LSMI.js.map
