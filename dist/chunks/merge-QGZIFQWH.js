import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as g}from"./chunk-EJGUP6SI.js";import{b as d,e as h,i as u,j as p,l as f,q as y}from"./chunk-R43BZOFV.js";import"./chunk-QSASGPRN.js";import{b as I,c as x,e as O}from"./chunk-VWF6OPOZ.js";import{a as b}from"./chunk-5GP6G57E.js";import"./chunk-TWYQNBIW.js";import"./chunk-Q7ESTRZE.js";import{b as S}from"./chunk-4GUPX3CC.js";import{a as w}from"./chunk-4QWYSXHQ.js";import"./chunk-A2RXNSKC.js";import"./chunk-2NIE6IDW.js";import"./chunk-M4HYBZOV.js";import"./chunk-3KVS3CZK.js";import"./chunk-MEU6RMN2.js";import"./chunk-E5TEUXHI.js";import"./chunk-N7FYROBT.js";import"./chunk-BIZOIWA5.js";import"./chunk-BDGXM5KZ.js";import"./chunk-EI64G5RN.js";import"./chunk-K6QSMDBB.js";import"./chunk-NXVMQOCO.js";import"./chunk-R7NS4E5P.js";import"./chunk-QVEWC76K.js";import"./chunk-FPXJVBKM.js";import"./chunk-6EXMK26Y.js";import"./chunk-F4HVGA7N.js";import{d as c,g as l}from"./chunk-APP6FRZY.js";import"./chunk-JZB43AUG.js";import"./chunk-Q435LJEC.js";import"./chunk-M5MB623F.js";import"./chunk-TVIJWVPR.js";import"./chunk-JXELH2WX.js";import"./chunk-NJTXWXX6.js";import"./chunk-SNKUQV2G.js";import"./chunk-LXDHP64L.js";import"./chunk-BBW5L5RP.js";import"./chunk-COJYXYHZ.js";import"./chunk-44YRM6Z6.js";import"./chunk-VY4SJE6H.js";import"./chunk-QBF2U7B2.js";import"./chunk-3XPAOOYO.js";import"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";import{writeFile as F}from"node:fs/promises";import{resolve as R}from"node:path";var L=`usage: chartship merge OUTCOME\u2026 [options]

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
  --registry oci://\u2026    the registries the shards published to (the first is read)
  --username USER --password-stdin, --registry-auth-file FILE, --registry-tls HOST=OPTION,\u2026, --plain-http,
  --ca-file FILE, --insecure-skip-tls-verify
Each also comes from its CHARTSHIP_<NAME> variable, as for publish (a flag wins).
`,N={"classic-index":{type:"string"},"classic-index-url":{type:"string"},registry:{type:"string",multiple:!0},...S};async function $(i,e){let r=await w({name:"merge",help:L,positionals:{min:1,max:1/0,what:"the outcome files or directories"},options:{"commit-bump":{type:"boolean"},cwd:{type:"string"},"summary-file":{type:"string"},json:{type:"boolean"},...N}},i,e);if(typeof r=="number")return r;let{values:s,positionals:C}=r,a=b(e),n=await T(s,e),t=await g(C,e.cwd),o=R(e.cwd,s.cwd??"."),E=n?await u(t.results,{cwd:o,...n},a):void 0,m=y(t.results,{serverUrl:"",repository:""},t.policy);return s["summary-file"]&&await F(R(e.cwd,s["summary-file"]),m),s.json?e.stdout(`${JSON.stringify({dryRun:!1,charts:d(t.results),pushed:h(t.results),...t.policy?{policy:t.policy}:{}},null,2)}
`):e.stdout(`${m}
`),await f(t,{commitBump:s["commit-bump"]??!1,cwd:o,branch:()=>p(O(e.env),o),tagged:!1,remedy:"pass --commit-bump, or tag each release",log:a}),t.results.some(v=>v.status==="failed")||E?.error?1:0}async function T(i,e){let r=c(await x(i,e)),s=l(r.optional("classic-index"),r.optional("classic-index-url"),!1);if(s)return{classicIndex:s,...I(r,r.list("registry"),e)}}export{$ as run};
//# sourceMappingURL=merge-QGZIFQWH.js.map
