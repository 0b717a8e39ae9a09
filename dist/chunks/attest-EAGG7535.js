import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as c,b as d,c as e,d as f,e as g,f as h,g as i,h as j,i as k,j as l,k as m,l as n}from"./chunk-DFPHZXKD.js";import{a,b}from"./chunk-Y4DZPQI6.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";export{f as SIGSTORE_BUNDLE_V03,e as SLSA_PROVENANCE_V1,h as buildStatement,g as chartSubjects,j as coversDigest,b as expectedIdentity,l as loadTrust,i as parseStatement,a as provenancePredicate,d as readTrustedRoot,c as resolveInstance,k as signStatement,n as tokenClaims,m as verifyBundle};
//# sourceMappingURL=attest-EAGG7535.js.map
