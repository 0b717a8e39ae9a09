import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as p}from"./chunk-TVUV7KU6.js";import{a as m,c as a,k as l}from"./chunk-CIECD3FR.js";import"./chunk-XIYJUVPL.js";import{f as n,g as u}from"./chunk-YQAAEGCI.js";import"./chunk-GEVGTG4N.js";import"./chunk-QYJS4TKE.js";import"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";import{readFile as y,writeFile as w}from"node:fs/promises";import{resolve as c}from"node:path";var g=`usage: chartship merge OUTCOME\u2026 [options]

Combines the outcome files of sharded publish jobs (publish --wave W --shard I/N --outcome-file FILE) into one
report: the summary, or with --json the same JSON publish prints. Fails when a shard is missing or a chart failed.

  --summary-file FILE   write the markdown summary there too
  --json                print the merged outcome as JSON
`;async function F(h,s){let t=p({name:"merge",help:g,positionals:{min:1,max:1/0,what:"the outcome files"},options:{"summary-file":{type:"string"},json:{type:"boolean"}}},h,s);if(typeof t=="number")return t;let{values:o,positionals:f}=t,d=await Promise.all(f.map(async r=>n(await y(c(s.cwd,r),"utf8"),r))),e=u(d),i=l(e.results,{serverUrl:"",repository:""},e.policy);return o["summary-file"]&&await w(c(s.cwd,o["summary-file"]),i),o.json?s.stdout(`${JSON.stringify({dryRun:!1,charts:m(e.results),pushed:a(e.results),...e.policy?{policy:e.policy}:{}},null,2)}
`):s.stdout(`${i}
`),e.results.some(r=>r.status==="failed")?1:0}export{F as run};
//# sourceMappingURL=merge-4BGHFFMG.js.map
