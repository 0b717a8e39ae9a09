import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{b as f,d as g,h as y,i as w,k as b,p as I}from"./chunk-U65DH3E5.js";import"./chunk-YW6ZYVMA.js";import{b as O,c as R,e as C}from"./chunk-IRFUIUDI.js";import{a as S}from"./chunk-5GP6G57E.js";import"./chunk-ZRDBKJK6.js";import"./chunk-Q7ESTRZE.js";import{b as E}from"./chunk-4GUPX3CC.js";import{a as x}from"./chunk-4QWYSXHQ.js";import"./chunk-A2RXNSKC.js";import"./chunk-QYJS4TKE.js";import"./chunk-M4HYBZOV.js";import"./chunk-22HZY4RF.js";import"./chunk-XCEZY2WH.js";import"./chunk-M337CRRP.js";import"./chunk-7AXD2FO4.js";import"./chunk-BIZOIWA5.js";import"./chunk-BDGXM5KZ.js";import"./chunk-EI64G5RN.js";import"./chunk-JQEZXTFX.js";import"./chunk-SAKXOCSR.js";import"./chunk-COFX4HJE.js";import"./chunk-FAQQIHJK.js";import"./chunk-PA6VMEGQ.js";import"./chunk-GRMN6CST.js";import"./chunk-F4HVGA7N.js";import{d as h,g as p}from"./chunk-HJLZ2XXA.js";import{k as d,l as u}from"./chunk-U4RIRWFX.js";import"./chunk-E6FBVZRZ.js";import"./chunk-M5MB623F.js";import"./chunk-TLDIJJLR.js";import"./chunk-JXELH2WX.js";import"./chunk-NJTXWXX6.js";import"./chunk-SNKUQV2G.js";import"./chunk-LXDHP64L.js";import"./chunk-DJ352LYE.js";import"./chunk-COJYXYHZ.js";import"./chunk-44YRM6Z6.js";import"./chunk-A4RPCBE7.js";import"./chunk-OACEBNW2.js";import"./chunk-3XPAOOYO.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";import{readFile as N,writeFile as T}from"node:fs/promises";import{resolve as n}from"node:path";var j=`usage: chartship merge OUTCOME\u2026 [options]

Combines the outcome files of sharded publish jobs (publish --wave W --shard I/N --outcome-file FILE) into one
report: the summary, or with --json the same JSON publish prints. Fails when a shard is missing or a chart failed.

  --commit-bump         commit the Chart.yaml bumps of every released chart and push them to the branch, once
                        every shard published everything (the shards commit nothing); needs the commit the
                        shards published checked out in --cwd
  --cwd DIR             repository to commit in (default: .)
  --summary-file FILE   write the markdown summary there too
  --json                print the merged outcome as JSON

The classic index the shards leave to the merge (publish --classic-index, which a shard does not write) is written
here, from the charts read back from the first registry:
  --classic-index DIR|gh-pages, --classic-index-url URL
  --registry oci://\u2026    the registries the shards published to (the first is read)
  --username USER --password-stdin, --registry-auth-file FILE, --registry-tls HOST=OPTION,\u2026, --plain-http,
  --ca-file FILE, --insecure-skip-tls-verify
Each also comes from its CHARTSHIP_<NAME> variable, as for publish (a flag wins).
`,P={"classic-index":{type:"string"},"classic-index-url":{type:"string"},registry:{type:"string",multiple:!0},...E};async function Y(o,e){let r=await x({name:"merge",help:j,positionals:{min:1,max:1/0,what:"the outcome files"},options:{"commit-bump":{type:"boolean"},cwd:{type:"string"},"summary-file":{type:"string"},json:{type:"boolean"},...P}},o,e);if(typeof r=="number")return r;let{values:s,positionals:v}=r,m=S(e),c=await k(s,e),F=await Promise.all(v.map(async i=>d(await N(n(e.cwd,i),"utf8"),i))),t=u(F),a=n(e.cwd,s.cwd??"."),L=c?await y(t.results,{cwd:a,...c},m):void 0,l=I(t.results,{serverUrl:"",repository:""},t.policy);return s["summary-file"]&&await T(n(e.cwd,s["summary-file"]),l),s.json?e.stdout(`${JSON.stringify({dryRun:!1,charts:f(t.results),pushed:g(t.results),...t.policy?{policy:t.policy}:{}},null,2)}
`):e.stdout(`${l}
`),await b(t,{commitBump:s["commit-bump"]??!1,cwd:a,branch:()=>w(C(e.env),a),tagged:!1,remedy:"pass --commit-bump, or tag each release",log:m}),t.results.some(i=>i.status==="failed")||L?.error?1:0}async function k(o,e){let r=h(await R(o,e)),s=p(r.optional("classic-index"),r.optional("classic-index-url"),!1);if(s)return{classicIndex:s,...O(r,r.list("registry"),e)}}export{Y as run};
//# sourceMappingURL=merge-W6C7VUI4.js.map
