import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as m,b as p,c,d,e as g}from"./chunk-VJV7HJTP.js";import{a as o,b as r,e as t,f as e,g as f,h as i,i as x,j as a,k as b}from"./chunk-RWSPDFGL.js";import"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";export{e as SIGSTORE_BUNDLE_V03,t as SLSA_PROVENANCE_V1,i as buildStatement,f as chartSubjects,a as coversDigest,r as expectedIdentity,c as loadTrust,x as parseStatement,o as provenancePredicate,p as readTrustedRoot,m as resolveInstance,b as signStatement,g as tokenClaims,d as verifyBundle};
//# sourceMappingURL=attest-SXJSVQEI.js.map
