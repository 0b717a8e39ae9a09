import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as $,b as x,c as T}from"./chunk-EZYXYXWQ.js";import"./chunk-LH2KUZAT.js";import{a as I}from"./chunk-MITFHSS3.js";import{w as R,x as v}from"./chunk-CRFO4ITO.js";import"./chunk-DORHLSVB.js";import{a as w}from"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";import{resolve as E}from"node:path";var k=`usage: chartship verify oci://HOST[:PORT]/NAMESPACE/CHART:VERSION --certificate-identity ID --certificate-oidc-issuer URL [options]

Finds the Sigstore attestations stored beside the chart version (OCI referrers: the registry's referrers API, or the
sha256-<digest> tag), verifies each against Sigstore's trust root (through TUF, or --trusted-root), checks that it is
about the manifest the registry serves for that version (and its chart archive), and prints who built it, from
which repository and commit. Exits non-zero unless at least one attestation verifies.

options:
  --certificate-identity ID          the signer, exactly; for a GitHub workflow the workflow file at its ref, e.g.
                                     https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/heads/main
  --certificate-identity-regexp RE   instead: a regular expression the signer must match (anchor it with ^\u2026$)
  --certificate-oidc-issuer URL      the signer's OIDC issuer (GitHub Actions: https://token.actions.githubusercontent.com)
  --trusted-root FILE                verify against this Sigstore trusted root instead of Sigstore's public-good one
                                     from TUF (offline machines, private instances, gh attestation trusted-root)
  --tuf-mirror URL                   fetch the trusted root from this TUF repository
  --tuf-root FILE                    that repository's root.json
${x}
  --json                             print the result as JSON
  -h, --help                         show this help
`;async function P(c,o){let d=I({name:"verify",help:k,positionals:{min:1,max:1,what:"one chart reference"},options:{"certificate-identity":{type:"string"},"certificate-identity-regexp":{type:"string"},"certificate-oidc-issuer":{type:"string"},"trusted-root":{type:"string"},"tuf-mirror":{type:"string"},"tuf-root":{type:"string"},...$,json:{type:"boolean"}}},c,o);if(typeof d=="number")return d;let{values:t,positionals:p}=d,f=s=>(o.stderr(`chartship verify: ${s}

${k}`),2),u=t["certificate-identity"],i=t["certificate-identity-regexp"],h=t["certificate-oidc-issuer"];if(!h)return f("--certificate-oidc-issuer is required");if(u===void 0==(i===void 0))return f("give exactly one of --certificate-identity and --certificate-identity-regexp");if(i!==void 0)try{new RegExp(i)}catch(s){return f(`--certificate-identity-regexp: ${s.message}`)}if(t["trusted-root"]&&(t["tuf-mirror"]||t["tuf-root"]))return f("--trusted-root replaces TUF: give it or --tuf-mirror/--tuf-root, not both");let g=R(p[0]),S=await T(t,o,"verify"),l=await import("./attest-4MRAID7E.js"),{verifyChartAttestations:j}=await import("./attest-verify-JOQLU3KG.js"),b=await l.loadTrust(t["trusted-root"]?await l.readTrustedRoot(E(o.cwd,t["trusted-root"])):{kind:"tuf",...t["tuf-mirror"]?{mirrorUrl:t["tuf-mirror"]}:{},...t["tuf-root"]?{rootFile:E(o.cwd,t["tuf-root"])}:{}}),y=v(g.target,S),e;try{e=await j(y,g.name,g.version,b,{issuer:h,...u!==void 0?{identity:u}:{},...i!==void 0?{identityRegexp:i}:{}})}finally{await y.close()}let m=p[0];if(t.json)o.stdout(`${JSON.stringify({reference:m,digest:e.digest,chartDigest:e.chartDigest,verified:e.verified.map(({referrer:s,bundle:r})=>({attestation:s,predicateType:r.statement.predicateType,identity:r.identity,issuer:r.issuer,build:r.build,...r.logIndex!==void 0?{logIndex:r.logIndex}:{},subjects:r.statement.subject,predicate:r.statement.predicate})),rejected:e.rejected},null,2)}
`);else{let s=[];for(let{referrer:r,bundle:a}of e.verified){let n=C(a.build,a.statement.predicate);s.push(`Verified: ${m} (${e.digest})`,`  Attestation: ${r} (${a.statement.predicateType})`,`  Signed by: ${a.identity}`,`  Issuer: ${a.issuer}`,...n.repository||n.commit?[`  Source: ${[n.repository,n.ref].filter(Boolean).join(" ")||"commit"}${n.commit?` @ ${n.commit}`:""}`]:[],...n.workflow?[`  Workflow: ${n.workflow}`]:[],...n.run?[`  Run: ${n.run}`]:[],...a.logIndex!==void 0?[`  Transparency log index: ${a.logIndex}`]:[])}for(let{referrer:r,reason:a}of e.rejected)s.push(`Rejected: attestation ${r}: ${a}`);s.length>0&&o.stdout(`${s.join(`
`)}
`)}if(e.verified.length>0)return 0;throw new w(e.rejected.length===0?`${m} (${e.digest}) has no Sigstore attestation`:`no attestation of ${m} (${e.digest}) verifies`,{code:"ATTESTATION_UNVERIFIED",...e.rejected.length===0?{hint:"publish it with attestations on (attest input, or chartship publish --attest)"}:{}})}function C(c,o){let d=o.buildDefinition??{},t=d.externalParameters??{},p=o.runDetails??{},f=d.resolvedDependencies?.[0],u=/^git\+(.+?)(?:@(.+))?$/.exec(f?.uri??""),i=(...h)=>h.find(g=>g!==void 0&&g!=="");return{repository:i(c.sourceRepositoryURI,u?.[1],t.source?.repository,t.workflow?.repository),ref:i(c.sourceRepositoryRef,u?.[2],t.source?.ref,t.workflow?.ref),commit:i(c.sourceRepositoryDigest,f?.digest?.gitCommit,t.source?.commit),workflow:i(c.buildConfigURI,t.workflow?.path),run:i(c.runInvocationURI,p.metadata?.invocationId)}}export{k as HELP,P as run};
//# sourceMappingURL=verify-attestation-3Q66ILLB.js.map
