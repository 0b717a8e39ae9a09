import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as d,c as m,d as f}from"./chunk-4GUPX3CC.js";import{a as g}from"./chunk-4QWYSXHQ.js";import"./chunk-A2RXNSKC.js";import{s as p,y as u}from"./chunk-E5TEUXHI.js";import"./chunk-N7FYROBT.js";import"./chunk-BIZOIWA5.js";import"./chunk-EI64G5RN.js";import"./chunk-QVEWC76K.js";import"./chunk-F4HVGA7N.js";import"./chunk-JXELH2WX.js";import"./chunk-SNKUQV2G.js";import"./chunk-BBW5L5RP.js";import"./chunk-COJYXYHZ.js";import"./chunk-VY4SJE6H.js";import"./chunk-QBF2U7B2.js";import"./chunk-3XPAOOYO.js";import{b as a}from"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";import{resolve as y}from"node:path";import{readFile as w,stat as E}from"node:fs/promises";async function l(o,t,s,r){let c=await w(o).catch(e=>{throw e.code==="EISDIR"?new a("is a directory, not a chart archive",{file:t,code:"CHART_ARCHIVE_MISSING",hint:`package it first: chartship package ${t}, then push the .tgz it writes`}):new a(e.code==="ENOENT"?"no such file":e.message,{file:t,code:"CHART_ARCHIVE_MISSING"})}),i=await w(`${o}.prov`).catch(e=>{if(e.code!=="ENOENT")throw new a(e.message,{file:`${t}.prov`})}),h=p((await E(o)).mtime),n=u(s,r.target);try{return await n.pushChart({archive:c,...i?{prov:i}:{},label:t,created:h},{overwrite:r.overwrite})}finally{await n.close()}}var R=`usage: chartship push <chart.tgz> <oci://HOST[:PORT]/NAMESPACE | oci-layout:DIR> [options]

Pushes a packaged chart the way \`helm push\` does. A sibling <chart.tgz>.prov is pushed as its provenance layer.
Pushing the same content again changes nothing; different content under an existing version is refused.

options:
${m}
  --overwrite                  replace a version that exists with different content
  --create-repositories        ECR: create the repository when it does not exist (AWS credential chain)
  --json                       print the result as one JSON object
  -h, --help                   show this help
`;async function x(o,t){let s=await g({name:"push",help:R,positionals:{min:2,max:2,what:"<chart.tgz> and <target>"},options:{...d,overwrite:{type:"boolean"},"create-repositories":{type:"boolean"},json:{type:"boolean"}}},o,t);if(typeof s=="number")return s;let{values:r,positionals:c}=s,[i,h]=c,n={...await f(r,t,"push"),createRepositories:r["create-repositories"],onNotice:v=>t.stderr(`chartship: ${v}
`)},e=await l(y(t.cwd,i),i,h,{target:n,overwrite:r.overwrite});return r.json?t.stdout(`${JSON.stringify(e)}
`):(e.status==="overwritten"&&t.stderr(`chartship: replaced the previous content of ${e.ref}
`),t.stdout(`${e.status==="unchanged"?"Unchanged":"Pushed"}: ${e.ref}
Digest: ${e.digest}
`)),0}export{x as run};
//# sourceMappingURL=push-N3DZHGU6.js.map
