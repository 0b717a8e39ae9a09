import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as k,b as w,c as E}from"./chunk-WGEBUC5J.js";import{b as v}from"./chunk-YTLGE7RG.js";import{d as l}from"./chunk-CEM2RK2Q.js";import"./chunk-PZ3MONUN.js";import{d}from"./chunk-XRWPEEV6.js";import"./chunk-INTZSCW5.js";import"./chunk-LQ7TSBHJ.js";import"./chunk-3ZVB2U6R.js";import{j as y}from"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";import{readFile as b}from"node:fs/promises";import{basename as P,resolve as p}from"node:path";var C=`usage: chartship verify <chart.tgz> [--keyring <pubring.gpg|keys.asc>] [--json]
       chartship verify oci://HOST/NAMESPACE/CHART:VERSION --certificate-identity ID --certificate-oidc-issuer URL
                        (a keyless Sigstore attestation: chartship verify oci://… --help)

Checks <chart.tgz>.prov the way helm verify does: the OpenPGP signature against the keyring, then the sha256 the
.prov lists for the archive's file name against the archive's bytes. Exits non-zero when either check fails.

options:
      --keyring FILE   public keys to trust: a binary keyring (gpg --export > pubring.gpg) or armored keys
                       (default, as helm's: $GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg)
      --json           print the result as JSON
  -h, --help           show this help
`;async function T(t,e){if(t.some(h=>h.startsWith("oci://")))return(await import("./verify-attestation-KSY5CNQQ.js")).run(t,e);let i=await d({name:"verify",help:C,positionals:{min:1,max:1,what:"one chart archive"},options:{keyring:{type:"string"},json:{type:"boolean"}}},t,e);if(typeof i=="number")return i;let{values:n,positionals:o}=i,r=o[0],s=`${r}.prov`,m=await g(p(e.cwd,r),r,"the chart archive"),I=(await g(p(e.cwd,s),s,"the provenance file","sign with chartship package --sign or helm package --sign")).toString("utf8"),c=n.keyring??w(e.env),f=n.keyring!==void 0,N=await g(p(e.cwd,c),c,f?"--keyring":"helm's default keyring",f?void 0:E),u=await l(m,r),a=await v({archive:m,fileName:P(r),prov:I,keyring:N,provFile:s,keyringFile:c});if(n.json){let h={file:r,name:u.metadata.name,version:u.metadata.version,signedBy:a.signedBy,userIds:a.userIds,fingerprint:a.fingerprint,chartHash:a.chartHash};return e.stdout(`${JSON.stringify(h,null,2)}
`),0}return e.stdout(k(a)),0}async function g(t,e,i,n){try{return await b(t)}catch(o){let r=o.code,s=r==="ENOENT"?"does not exist":r==="EISDIR"?"is a directory":o.message;throw new y(`cannot read ${i}: ${s}`,{file:e,hint:n,code:"VERIFY_INPUT"})}}export{T as run};
//# sourceMappingURL=verify-RCO4WHTT.js.map
