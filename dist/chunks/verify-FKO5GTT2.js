import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as l}from"./chunk-WIQAFGXS.js";import{a as d}from"./chunk-GK22KKBN.js";import{b as u}from"./chunk-N4V5M4AS.js";import{c as m}from"./chunk-PTQNNPRE.js";import"./chunk-2O7QPWCH.js";import"./chunk-VPCAKDHY.js";import"./chunk-SBQGRVXV.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import{a as f}from"./chunk-C5D5W6JD.js";import"./chunk-JTO7CUDJ.js";import{readFile as E}from"node:fs/promises";import{basename as I,resolve as h}from"node:path";var v=`usage: chartship verify <chart.tgz> --keyring <pubring.gpg|keys.asc> [--json]
       chartship verify oci://HOST/NAMESPACE/CHART:VERSION --certificate-identity ID --certificate-oidc-issuer URL
                        (a keyless Sigstore attestation: chartship verify oci://\u2026 --help)

Checks <chart.tgz>.prov the way helm verify does: the OpenPGP signature against the keyring, then the sha256 the
.prov lists for the archive's file name against the archive's bytes. Exits non-zero when either check fails.

options:
      --keyring FILE   public keys to trust: a binary keyring (gpg --export > pubring.gpg) or armored keys
      --json           print the result as JSON
  -h, --help           show this help
`;async function j(i,r){if(i.some(c=>c.startsWith("oci://")))return(await import("./verify-attestation-PKJVK7BD.js")).run(i,r);let n=await d({name:"verify",help:v,positionals:{min:1,max:1,what:"one chart archive"},options:{keyring:{type:"string"},json:{type:"boolean"}}},i,r);if(typeof n=="number")return n;let{values:t,positionals:o}=n;if(!t.keyring)return r.stderr(`chartship verify: --keyring is required

${v}`),2;let e=o[0],s=`${e}.prov`,g=await p(h(r.cwd,e),e,"the chart archive"),k=(await p(h(r.cwd,s),s,"the provenance file","sign with chartship package --sign or helm package --sign")).toString("utf8"),w=await p(h(r.cwd,t.keyring),t.keyring,"--keyring"),y=await m(g,e),a=await u({archive:g,fileName:I(e),prov:k,keyring:w,provFile:s,keyringFile:t.keyring});if(t.json){let c={file:e,name:y.metadata.name,version:y.metadata.version,signedBy:a.signedBy,userIds:a.userIds,fingerprint:a.fingerprint,chartHash:a.chartHash};return r.stdout(`${JSON.stringify(c,null,2)}
`),0}return r.stdout(l(a)),0}async function p(i,r,n,t){try{return await E(i)}catch(o){let e=o.code,s=e==="ENOENT"?"does not exist":e==="EISDIR"?"is a directory":o.message;throw new f(`cannot read ${n}: ${s}`,{file:r,hint:t,code:"VERIFY_INPUT"})}}export{j as run};
//# sourceMappingURL=verify-FKO5GTT2.js.map
