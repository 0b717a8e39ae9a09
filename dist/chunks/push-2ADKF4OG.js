import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as m,c as d,d as l}from"./chunk-K72CVJJC.js";import{a as g}from"./chunk-GK22KKBN.js";import"./chunk-D2IY2XQK.js";import{n as h,t as u}from"./chunk-NA4SAA4T.js";import"./chunk-PTQNNPRE.js";import"./chunk-F4HVGA7N.js";import"./chunk-EVXBIEL6.js";import"./chunk-2O7QPWCH.js";import"./chunk-BYESX7YB.js";import"./chunk-VPCAKDHY.js";import"./chunk-SBQGRVXV.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import{a as p}from"./chunk-C5D5W6JD.js";import"./chunk-JTO7CUDJ.js";import{resolve as E}from"node:path";import{readFile as f,stat as y}from"node:fs/promises";async function w(o,e,s,r){let a=await f(o).catch(t=>{throw new p(t.code==="ENOENT"?"no such file":t.message,{file:e,code:"CHART_ARCHIVE_MISSING"})}),i=await f(`${o}.prov`).catch(t=>{if(t.code!=="ENOENT")throw new p(t.message,{file:`${e}.prov`})}),c=h((await y(o)).mtime),n=u(s,r.target);try{return await n.pushChart({archive:a,...i?{prov:i}:{},label:e,created:c},{overwrite:r.overwrite})}finally{await n.close()}}var R=`usage: chartship push <chart.tgz> <oci://HOST[:PORT]/NAMESPACE | oci-layout:DIR> [options]

Pushes a packaged chart the way \`helm push\` does. A sibling <chart.tgz>.prov is pushed as its provenance layer.
Pushing the same content again changes nothing; different content under an existing version is refused.

options:
${d}
  --overwrite                  replace a version that exists with different content
  --create-repositories        ECR: create the repository when it does not exist (AWS credential chain)
  --json                       print the result as one JSON object
  -h, --help                   show this help
`;async function I(o,e){let s=await g({name:"push",help:R,positionals:{min:2,max:2,what:"<chart.tgz> and <target>"},options:{...m,overwrite:{type:"boolean"},"create-repositories":{type:"boolean"},json:{type:"boolean"}}},o,e);if(typeof s=="number")return s;let{values:r,positionals:a}=s,[i,c]=a,n={...await l(r,e,"push"),createRepositories:r["create-repositories"],onNotice:v=>e.stderr(`chartship: ${v}
`)},t=await w(E(e.cwd,i),i,c,{target:n,overwrite:r.overwrite});return r.json?e.stdout(`${JSON.stringify(t)}
`):(t.status==="overwritten"&&e.stderr(`chartship: replaced the previous content of ${t.ref}
`),e.stdout(`${t.status==="unchanged"?"Unchanged":"Pushed"}: ${t.ref}
Digest: ${t.digest}
`)),0}export{I as run};
//# sourceMappingURL=push-2ADKF4OG.js.map
