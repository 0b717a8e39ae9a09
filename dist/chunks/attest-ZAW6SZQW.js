import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as c,b as d,c as l,d as m,e as n}from"./chunk-N62AI64E.js";import{a,b,e,f,g,h,i,j,k}from"./chunk-YSHSU7G2.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{f as SIGSTORE_BUNDLE_V03,e as SLSA_PROVENANCE_V1,h as buildStatement,g as chartSubjects,j as coversDigest,b as expectedIdentity,l as loadTrust,i as parseStatement,a as provenancePredicate,d as readTrustedRoot,c as resolveInstance,k as signStatement,n as tokenClaims,m as verifyBundle};
//# sourceMappingURL=attest-ZAW6SZQW.js.map
