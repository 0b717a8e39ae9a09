import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-VYPL3IBE.js";import"./chunk-DFPHZXKD.js";import"./chunk-Y4DZPQI6.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{a as verifyChartAttestations};
//# sourceMappingURL=attest-verify-2RBNZY5F.js.map
