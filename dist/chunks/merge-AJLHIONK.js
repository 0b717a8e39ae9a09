import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{b,d as I,h as x,i as O,k as v,q as S}from"./chunk-R5EYGCBZ.js";import"./chunk-DDTAJDOH.js";import"./chunk-Z7DSCYMC.js";import{b as R,d as N}from"./chunk-6EZM2VLS.js";import"./chunk-NXU6KBXP.js";import{a as E}from"./chunk-URMLBNZK.js";import"./chunk-WGIUWNKK.js";import{a as C}from"./chunk-GK22KKBN.js";import"./chunk-QYJS4TKE.js";import"./chunk-M4HYBZOV.js";import"./chunk-E65LUD2B.js";import"./chunk-6PCAYKQH.js";import"./chunk-DQH4GIHN.js";import"./chunk-XNDTIYUD.js";import"./chunk-MVIEESLO.js";import"./chunk-IBG4VV4C.js";import"./chunk-RQKJLTVA.js";import"./chunk-GRHADQZ3.js";import{c as f,d as g,e as y,g as w}from"./chunk-ARV6EG6S.js";import{k as u,l as h}from"./chunk-WJZ3RJCW.js";import"./chunk-CPCXO3FH.js";import"./chunk-NJTXWXX6.js";import"./chunk-JPS4BA3W.js";import"./chunk-GFH3N2LE.js";import"./chunk-BYESX7YB.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-44YRM6Z6.js";import"./chunk-4SBU7V5N.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import"./chunk-YUR25DCB.js";import"./chunk-JTO7CUDJ.js";import{readFile as L,writeFile as j}from"node:fs/promises";import{resolve as d}from"node:path";var T=`usage: chartship merge OUTCOME\u2026 [options]

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
`,k={"classic-index":{type:"string"},"classic-index-url":{type:"string"},registry:{type:"string",multiple:!0},username:{type:"string"},"password-stdin":{type:"boolean"},"registry-auth-file":{type:"string"},"registry-tls":{type:"string",multiple:!0},"plain-http":{type:"boolean"},"ca-file":{type:"string"},"insecure-skip-tls-verify":{type:"boolean"}};async function X(m,e){let r=await C({name:"merge",help:T,positionals:{min:1,max:1/0,what:"the outcome files"},options:{"commit-bump":{type:"boolean"},cwd:{type:"string"},"summary-file":{type:"string"},json:{type:"boolean"},...k}},m,e);if(typeof r=="number")return r;let{values:t,positionals:i}=r,o=E(e),n=await P(t,e),a=await Promise.all(i.map(async c=>u(await L(d(e.cwd,c),"utf8"),c))),s=h(a),l=d(e.cwd,t.cwd??".");await v(s,{commitBump:t["commit-bump"]??!1,cwd:l,branch:()=>O(N(e.env),l),tagged:!1,remedy:"pass --commit-bump, or tag each release",log:o});let F=n?await x(s.results,{cwd:l,...n},o):void 0,p=S(s.results,{serverUrl:"",repository:""},s.policy);return t["summary-file"]&&await j(d(e.cwd,t["summary-file"]),p),t.json?e.stdout(`${JSON.stringify({dryRun:!1,charts:b(s.results),pushed:I(s.results),...s.policy?{policy:s.policy}:{}},null,2)}
`):e.stdout(`${p}
`),s.results.some(c=>c.status==="failed")||F?.error?1:0}async function P(m,e){let r=g(await R(m,e)),t=w(r.optional("classic-index"),r.optional("classic-index-url"),!1);if(!t)return;let i=[],o=y(r.list("registry"),i),n=f(r,o,i);for(let a of i)e.stderr(`warning: ${a.field}: ${a.message}
`);return{classicIndex:t,targets:o,target:{...n,env:e.env,cwd:e.cwd}}}export{X as run};
//# sourceMappingURL=merge-AJLHIONK.js.map
