import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as v,b as k,c as w}from"./chunk-WGEBUC5J.js";import{a as l}from"./chunk-4QWYSXHQ.js";import{b as d}from"./chunk-PL6KNSMK.js";import{d as y}from"./chunk-N7FYROBT.js";import"./chunk-EI64G5RN.js";import"./chunk-QVEWC76K.js";import"./chunk-BBW5L5RP.js";import"./chunk-VY4SJE6H.js";import"./chunk-QBF2U7B2.js";import"./chunk-3XPAOOYO.js";import{b as u}from"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";import{readFile as N}from"node:fs/promises";import{basename as b,resolve as p}from"node:path";var P=`usage: chartship verify <chart.tgz> [--keyring <pubring.gpg|keys.asc>] [--json]
       chartship verify oci://HOST/NAMESPACE/CHART:VERSION --certificate-identity ID --certificate-oidc-issuer URL
                        (a keyless Sigstore attestation: chartship verify oci://\u2026 --help)

Checks <chart.tgz>.prov the way helm verify does: the OpenPGP signature against the keyring, then the sha256 the
.prov lists for the archive's file name against the archive's bytes. Exits non-zero when either check fails.

options:
      --keyring FILE   public keys to trust: a binary keyring (gpg --export > pubring.gpg) or armored keys
                       (default, as helm's: $GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg)
      --json           print the result as JSON
  -h, --help           show this help
`;async function F(t,e){if(t.some(h=>h.startsWith("oci://")))return(await import("./verify-attestation-KNJA7UTK.js")).run(t,e);let i=await l({name:"verify",help:P,positionals:{min:1,max:1,what:"one chart archive"},options:{keyring:{type:"string"},json:{type:"boolean"}}},t,e);if(typeof i=="number")return i;let{values:n,positionals:o}=i,r=o[0],s=`${r}.prov`,f=await g(p(e.cwd,r),r,"the chart archive"),E=(await g(p(e.cwd,s),s,"the provenance file","sign with chartship package --sign or helm package --sign")).toString("utf8"),c=n.keyring??k(e.env),I=await g(p(e.cwd,c),c,"--keyring",n.keyring===void 0?w:void 0),m=await y(f,r),a=await d({archive:f,fileName:b(r),prov:E,keyring:I,provFile:s,keyringFile:c});if(n.json){let h={file:r,name:m.metadata.name,version:m.metadata.version,signedBy:a.signedBy,userIds:a.userIds,fingerprint:a.fingerprint,chartHash:a.chartHash};return e.stdout(`${JSON.stringify(h,null,2)}
`),0}return e.stdout(v(a)),0}async function g(t,e,i,n){try{return await N(t)}catch(o){let r=o.code,s=r==="ENOENT"?"does not exist":r==="EISDIR"?"is a directory":o.message;throw new u(`cannot read ${i}: ${s}`,{file:e,hint:n,code:"VERIFY_INPUT"})}}export{F as run};
//# sourceMappingURL=verify-W3BYEWUW.js.map
