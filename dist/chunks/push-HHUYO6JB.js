import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{t as d,z as f}from"./chunk-BFGWPJE3.js";import"./chunk-CEM2RK2Q.js";import"./chunk-PZ3MONUN.js";import{d as h,f as u,i as g,j as m}from"./chunk-XRWPEEV6.js";import"./chunk-BIZOIWA5.js";import"./chunk-MLI4WYAW.js";import"./chunk-INTZSCW5.js";import"./chunk-LQ7TSBHJ.js";import"./chunk-3ZVB2U6R.js";import{j as a}from"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";import{resolve as y}from"node:path";import{readFile as w,stat as E}from"node:fs/promises";async function l(o,t,s,r){let c=await w(o).catch(e=>{throw e.code==="EISDIR"?new a("is a directory, not a chart archive",{file:t,code:"CHART_ARCHIVE_MISSING",hint:`package it first: chartship package ${t}, then push the .tgz it writes`}):new a(e.code==="ENOENT"?"no such file":e.message,{file:t,code:"CHART_ARCHIVE_MISSING"})}),i=await w(`${o}.prov`).catch(e=>{if(e.code!=="ENOENT")throw new a(e.message,{file:`${t}.prov`})}),p=d((await E(o)).mtime),n=f(s,r.target);try{return await n.pushChart({archive:c,...i?{prov:i}:{},label:t,created:p},{overwrite:r.overwrite})}finally{await n.close()}}var R=`usage: chartship push <chart.tgz> <oci://HOST[:PORT]/NAMESPACE | oci-layout:DIR> [options]

Pushes a packaged chart the way \`helm push\` does. A sibling <chart.tgz>.prov is pushed as its provenance layer.
Pushing the same content again changes nothing; different content under an existing version is refused.

options:
${g}
  --overwrite                  replace a version that exists with different content
  --create-repositories        ECR: create the repository when it does not exist (AWS credential chain)
  --json                       print the result as one JSON object
  -h, --help                   show this help
`;async function $(o,t){let s=await h({name:"push",help:R,positionals:{min:2,max:2,what:"<chart.tgz> and <target>"},options:{...u,overwrite:{type:"boolean"},"create-repositories":{type:"boolean"},json:{type:"boolean"}}},o,t);if(typeof s=="number")return s;let{values:r,positionals:c}=s,[i,p]=c,n={...await m(r,t,"push"),createRepositories:r["create-repositories"],onNotice:v=>t.stderr(`chartship: ${v}
`)},e=await l(y(t.cwd,i),i,p,{target:n,overwrite:r.overwrite});return r.json?t.stdout(`${JSON.stringify(e)}
`):(e.status==="overwritten"&&t.stderr(`chartship: replaced the previous content of ${e.ref}
`),t.stdout(`${e.status==="unchanged"?"Unchanged":"Pushed"}: ${e.ref}
Digest: ${e.digest}
`)),0}export{$ as run};
//# sourceMappingURL=push-HHUYO6JB.js.map
