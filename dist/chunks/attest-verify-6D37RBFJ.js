import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-2PIIKU5T.js";import"./chunk-ZPWOPN6M.js";import"./chunk-WJIR3ZTJ.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";export{o as verifyChartAttestations};
//# sourceMappingURL=attest-verify-6D37RBFJ.js.map
