import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-YOP3BLQ6.js";import"./chunk-7AIZRREZ.js";import"./chunk-ZN55VC5Y.js";import"./chunk-JFAJNWRN.js";import"./chunk-YSX4XI4Z.js";import"./chunk-UJL45IUO.js";import"./chunk-3MDQPX3S.js";import"./chunk-IWJIH4SB.js";import"./chunk-OEWC54CF.js";import"./chunk-M4HYBZOV.js";import"./chunk-F33H4CCD.js";import"./chunk-4NMOHINA.js";import"./chunk-C7REAMTN.js";import"./chunk-QYJS4TKE.js";import"./chunk-44YSZEWT.js";import"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";export{c as highestPublished,a as packagedDigests,d as planAgainstRegistries,b as publishedStateOf};
//# sourceMappingURL=plan-registry-RCH7264H.js.map
