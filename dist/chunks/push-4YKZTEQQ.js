import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as g,b as d,c as m}from"./chunk-E6WTZQPZ.js";import"./chunk-WGIUWNKK.js";import{a as u}from"./chunk-LZIZII5J.js";import{t as h}from"./chunk-UVMOQEBX.js";import"./chunk-XNDTIYUD.js";import"./chunk-UEXWYT4Q.js";import"./chunk-GFH3N2LE.js";import"./chunk-BYESX7YB.js";import"./chunk-VPCAKDHY.js";import"./chunk-4SBU7V5N.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import{a as c}from"./chunk-YUR25DCB.js";import"./chunk-JTO7CUDJ.js";import{resolve as v}from"node:path";import{readFile as f}from"node:fs/promises";async function l(n,t,s,e){let p=await f(n).catch(r=>{throw new c(r.code==="ENOENT"?"no such file":r.message,{file:t,code:"CHART_ARCHIVE_MISSING"})}),i=await f(`${n}.prov`).catch(r=>{if(r.code!=="ENOENT")throw new c(r.message,{file:`${t}.prov`})}),a=h(s,e.target);try{return await a.pushChart({archive:p,...i?{prov:i}:{},label:t},{overwrite:e.overwrite})}finally{await a.close()}}var y=`usage: chartship push <chart.tgz> <oci://HOST[:PORT]/NAMESPACE | oci-layout:DIR> [options]

Pushes a packaged chart the way \`helm push\` does. A sibling <chart.tgz>.prov is pushed as its provenance layer.
Pushing the same content again changes nothing; different content under an existing version is refused.

options:
${d}
  --overwrite                  replace a version that exists with different content
  --create-repositories        ECR: create the repository when it does not exist (AWS credential chain)
  --json                       print the result as one JSON object
  -h, --help                   show this help
`;async function x(n,t){let s=await u({name:"push",help:y,positionals:{min:2,max:2,what:"<chart.tgz> and <target>"},options:{...g,overwrite:{type:"boolean"},"create-repositories":{type:"boolean"},json:{type:"boolean"}}},n,t);if(typeof s=="number")return s;let{values:e,positionals:p}=s,[i,a]=p,r={...await m(e,t,"push"),createRepositories:e["create-repositories"],onNotice:w=>t.stderr(`chartship: ${w}
`)},o=await l(v(t.cwd,i),i,a,{target:r,overwrite:e.overwrite});return e.json?t.stdout(`${JSON.stringify(o)}
`):(o.status==="overwritten"&&t.stderr(`chartship: replaced the previous content of ${o.ref}
`),t.stdout(`${o.status==="unchanged"?"Unchanged":"Pushed"}: ${o.ref}
Digest: ${o.digest}
`)),0}export{x as run};
//# sourceMappingURL=push-4YKZTEQQ.js.map
