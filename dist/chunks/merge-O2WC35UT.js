import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as O}from"./chunk-TURWDQAH.js";import{b as y,e as w,i as b,j as I,l as x,s as S}from"./chunk-JYX7FU2X.js";import"./chunk-WPYRMJTA.js";import"./chunk-N5UYJY5U.js";import"./chunk-KQ6DVN5B.js";import{j as p,k as h,n as u}from"./chunk-TKEKUT4Y.js";import"./chunk-MM2TEU3N.js";import"./chunk-CRS3R37M.js";import"./chunk-Z3ZZDWEJ.js";import"./chunk-BFGWPJE3.js";import"./chunk-CEM2RK2Q.js";import"./chunk-PZ3MONUN.js";import{d as f,g}from"./chunk-XRWPEEV6.js";import"./chunk-BIZOIWA5.js";import"./chunk-E62TDGS2.js";import"./chunk-MLI4WYAW.js";import"./chunk-INTZSCW5.js";import"./chunk-LQ7TSBHJ.js";import{Z as l,aa as d}from"./chunk-TXIGZPSC.js";import{S as c}from"./chunk-3ZVB2U6R.js";import"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";import{writeFile as F}from"node:fs/promises";import{resolve as R}from"node:path";var L=`usage: chartship merge OUTCOME… [options]

Combines the outcome files of sharded publish jobs (publish --wave W --shard I/N --outcome-file FILE), or the
directories holding them, into one report: the summary, or with --json the same JSON publish prints. Fails when a shard is missing or a chart failed.

  --commit-bump         commit the Chart.yaml bumps of every released chart and push them to the branch, once
                        every shard published everything (the shards commit nothing); needs the commit the
                        shards published checked out in --cwd
  --cwd DIR             repository to commit in (default: .)
  --summary-file FILE   write the markdown summary there too
  --json                print the merged outcome as JSON

The classic index the shards leave to the merge (publish --classic-index, which a shard does not write) is written
here, from the charts read back from the first registry:
  --classic-index DIR|gh-pages, --classic-index-url URL
  --registry oci://…    the registries the shards published to (the first is read)
  --username USER --password-stdin, --registry-auth-file FILE, --registry-tls HOST=OPTION,…, --plain-http,
  --ca-file FILE, --insecure-skip-tls-verify
Each also comes from its CHARTSHIP_<NAME> variable, as for publish (a flag wins).
`,N={"classic-index":{type:"string"},"classic-index-url":{type:"string"},registry:{type:"string",multiple:!0},...g};async function $(i,e){let r=await f({name:"merge",help:L,positionals:{min:1,max:1/0,what:"the outcome files or directories"},options:{"commit-bump":{type:"boolean"},cwd:{type:"string"},"summary-file":{type:"string"},json:{type:"boolean"},...N}},i,e);if(typeof r=="number")return r;let{values:s,positionals:C}=r,a=c(e),n=await T(s,e),t=await O(C,e.cwd),o=R(e.cwd,s.cwd??"."),E=n?await b(t.results,{cwd:o,...n},a):void 0,m=S(t.results,{serverUrl:"",repository:""},t.policy);return s["summary-file"]&&await F(R(e.cwd,s["summary-file"]),m),s.json?e.stdout(`${JSON.stringify({dryRun:!1,charts:y(t.results),pushed:w(t.results),...t.policy?{policy:t.policy}:{}},null,2)}
`):e.stdout(`${m}
`),await x(t,{commitBump:s["commit-bump"]??!1,cwd:o,branch:()=>I(u(e.env),o),tagged:!1,remedy:"pass --commit-bump, or tag each release",log:a}),t.results.some(v=>v.status==="failed")||E?.error?1:0}async function T(i,e){let r=l(await h(i,e)),s=d(r.optional("classic-index"),r.optional("classic-index-url"),!1);if(s)return{classicIndex:s,...p(r,r.list("registry"),e)}}export{$ as run};
//# sourceMappingURL=merge-O2WC35UT.js.map
