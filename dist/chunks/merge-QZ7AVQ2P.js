import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as n,c as u,k as l}from"./chunk-Q7G5CBMC.js";import"./chunk-XIYJUVPL.js";import{a as p}from"./chunk-LZIZII5J.js";import"./chunk-QYJS4TKE.js";import{f as m,g as a}from"./chunk-6GAN23RC.js";import"./chunk-GEVGTG4N.js";import"./chunk-YUR25DCB.js";import"./chunk-JTO7CUDJ.js";import{readFile as y,writeFile as w}from"node:fs/promises";import{resolve as c}from"node:path";var g=`usage: chartship merge OUTCOME\u2026 [options]

Combines the outcome files of sharded publish jobs (publish --wave W --shard I/N --outcome-file FILE) into one
report: the summary, or with --json the same JSON publish prints. Fails when a shard is missing or a chart failed.

  --summary-file FILE   write the markdown summary there too
  --json                print the merged outcome as JSON
`;async function F(h,s){let t=await p({name:"merge",help:g,positionals:{min:1,max:1/0,what:"the outcome files"},options:{"summary-file":{type:"string"},json:{type:"boolean"}}},h,s);if(typeof t=="number")return t;let{values:o,positionals:f}=t,d=await Promise.all(f.map(async r=>m(await y(c(s.cwd,r),"utf8"),r))),e=a(d),i=l(e.results,{serverUrl:"",repository:""},e.policy);return o["summary-file"]&&await w(c(s.cwd,o["summary-file"]),i),o.json?s.stdout(`${JSON.stringify({dryRun:!1,charts:n(e.results),pushed:u(e.results),...e.policy?{policy:e.policy}:{}},null,2)}
`):s.stdout(`${i}
`),e.results.some(r=>r.status==="failed")?1:0}export{F as run};
//# sourceMappingURL=merge-QZ7AVQ2P.js.map
