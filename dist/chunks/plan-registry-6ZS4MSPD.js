import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-F2WIK2FX.js";import"./chunk-X3TTQNUH.js";import"./chunk-ALIKGMXQ.js";import"./chunk-ACHBG4SF.js";import"./chunk-ZMEXEKEO.js";import"./chunk-FSAYQEC5.js";import"./chunk-QUZ44JPQ.js";import"./chunk-7HG7GTQD.js";import"./chunk-OEWC54CF.js";import"./chunk-M4HYBZOV.js";import"./chunk-T6TAFHX4.js";import"./chunk-4NMOHINA.js";import"./chunk-M33YTEFO.js";import"./chunk-QYJS4TKE.js";import"./chunk-44YSZEWT.js";import"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";export{c as highestPublished,a as packagedDigests,d as planAgainstRegistries,b as publishedStateOf};
//# sourceMappingURL=plan-registry-6ZS4MSPD.js.map
