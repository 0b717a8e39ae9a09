import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k,l,m}from"./chunk-W7MHJ35Q.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{f as SIGSTORE_BUNDLE_V03,e as SLSA_PROVENANCE_V1,h as buildStatement,g as chartSubjects,i as coversDigest,d as expectedIdentity,k as loadTrust,c as provenancePredicate,b as readTrustedRoot,a as resolveInstance,j as signStatement,m as tokenClaims,l as verifyBundle};
//# sourceMappingURL=attest-2YKCY6XQ.js.map
