import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as c,c as p,f as h,h as l,n as d}from"./chunk-PAW4RKBV.js";import"./chunk-UIQSSKCT.js";import{d as w}from"./chunk-DIJEXCP5.js";import"./chunk-NXU6KBXP.js";import{a as y}from"./chunk-URMLBNZK.js";import"./chunk-WGIUWNKK.js";import{a as f}from"./chunk-GK22KKBN.js";import"./chunk-QYJS4TKE.js";import"./chunk-MVIEESLO.js";import"./chunk-IBG4VV4C.js";import"./chunk-RQKJLTVA.js";import"./chunk-GRHADQZ3.js";import"./chunk-Y2B2AZ7C.js";import{k as n,l as u}from"./chunk-WJZ3RJCW.js";import"./chunk-CPCXO3FH.js";import"./chunk-NJTXWXX6.js";import"./chunk-JPS4BA3W.js";import"./chunk-GFH3N2LE.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-44YRM6Z6.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import"./chunk-YUR25DCB.js";import"./chunk-JTO7CUDJ.js";import{readFile as v,writeFile as C}from"node:fs/promises";import{resolve as m}from"node:path";var I=`usage: chartship merge OUTCOME\u2026 [options]

Combines the outcome files of sharded publish jobs (publish --wave W --shard I/N --outcome-file FILE) into one
report: the summary, or with --json the same JSON publish prints. Fails when a shard is missing or a chart failed.

  --commit-bump         commit the Chart.yaml bumps of every released chart and push them to the branch, once
                        every shard published everything (the shards commit nothing); needs the commit the
                        shards published checked out in --cwd
  --cwd DIR             repository to commit in (default: .)
  --summary-file FILE   write the markdown summary there too
  --json                print the merged outcome as JSON
`;async function k(b,e){let s=await f({name:"merge",help:I,positionals:{min:1,max:1/0,what:"the outcome files"},options:{"commit-bump":{type:"boolean"},cwd:{type:"string"},"summary-file":{type:"string"},json:{type:"boolean"}}},b,e);if(typeof s=="number")return s;let{values:r,positionals:g}=s,O=await Promise.all(g.map(async o=>n(await v(m(e.cwd,o),"utf8"),o))),t=u(O),a=m(e.cwd,r.cwd??".");await l(t,{commitBump:r["commit-bump"]??!1,cwd:a,branch:()=>h(w(e.env),a),tagged:!1,remedy:"pass --commit-bump, or tag each release",log:y(e)});let i=d(t.results,{serverUrl:"",repository:""},t.policy);return r["summary-file"]&&await C(m(e.cwd,r["summary-file"]),i),r.json?e.stdout(`${JSON.stringify({dryRun:!1,charts:c(t.results),pushed:p(t.results),...t.policy?{policy:t.policy}:{}},null,2)}
`):e.stdout(`${i}
`),t.results.some(o=>o.status==="failed")?1:0}export{k as run};
//# sourceMappingURL=merge-UESBLOPP.js.map
