import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as E}from"./chunk-MITFHSS3.js";import{k as b,n as P,o as T,p as L,t as h,v as O,w as m}from"./chunk-3VOCC252.js";import{e as u,f as w,k as C,l as v}from"./chunk-23LTOYTF.js";import"./chunk-PQUVZG5T.js";import"./chunk-IF5GNVQ6.js";import"./chunk-TR6SIV5R.js";import"./chunk-JNL4OBP2.js";import"./chunk-M4HYBZOV.js";import"./chunk-TGSGL642.js";import"./chunk-CRFO4ITO.js";import"./chunk-DORHLSVB.js";import"./chunk-44YSZEWT.js";import{a as y}from"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";import{isAbsolute as H,relative as D,resolve as f}from"node:path";async function R(t,r){let o=t.charts?.length?t.charts:u,e=[],n=await w(t.cwd,{charts:o,onInvalid:(i,d)=>e.push(d)});if(n.length===0&&e.length===0)throw new y(`no chart directory matches ${o.map(i=>JSON.stringify(i)).join(", ")}`,{code:"CONFIG_INVALID",hint:`a chart directory holds a Chart.yaml; globs are relative to ${t.cwd}`});let l=n.map(i=>({name:i.name,path:i.path,chartYaml:i.chartYaml,file:i.file})),c=T(t.targets??[],t.target),a=L(t.targets??[],t.target);try{let i=c.length>0?I(t.cwd,c):void 0;return{report:await b(t.cwd,l,{...t.policy,mode:"enforce"},{dependencies:a,dependencyCacheDir:t.dependencyCacheDir,published:i},r),invalid:e}}finally{await Promise.all([...c.map(i=>i.close()),a.close()])}}function I(t,r){let o=C(t);return{where:r.map(e=>e.spec).join(", "),async compare(e,n){let l="absent";for(let c of r){let a=await v(c).inspect(e.name,n);if(!a)continue;let i=await o({path:e.path,nextVersion:n,nextAppVersion:void 0});if(i.configDigest!==a.configDigest||i.chartDigest!==a.chartDigest)return"differs";l="same"}return l}}}var A={info:()=>{},warning:()=>{},error:()=>{},group:(t,r)=>r()};var x=`usage: chartship lint [CHART\u2026] [--policy FILE] [--json]

Checks charts against the chart policy (the rules and their settings: README, "Chart policy") and prints every
finding as file:line:col. Exits 1 when a chart has an error finding or cannot be read, 0 otherwise. The rules that
render charts run \`helm template\` with the helm on PATH; without one they are reported as not checked.

  CHART                     chart directories or globs, relative to --cwd (default: charts/*)
  --policy FILE             the configuration to read the policy from (default: .chartship.yaml in --cwd)
  --policy-allowed-registries HOST
                            image registries charts may pull from (repeatable; replaces allowed-registries)
  --registry TARGET         oci://HOST/NS to compare each chart's version with (repeatable): a published version
                            with other content is a chart-metadata finding. Credentials: docker/helm credential
                            files, or CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD
  --plain-http, --ca-file FILE, --insecure-skip-tls-verify
  --cwd DIR                 where the charts and .chartship.yaml are (default: .)
  --json                    print the findings as JSON
`;async function z(t,r){let o=E({name:"lint",help:x,positionals:{min:0,max:1/0,what:"chart directories or globs"},options:{policy:{type:"string"},"policy-allowed-registries":{type:"string",multiple:!0},registry:{type:"string",multiple:!0},"plain-http":{type:"boolean"},"ca-file":{type:"string"},"insecure-skip-tls-verify":{type:"boolean"},cwd:{type:"string"},json:{type:"boolean"}}},t,r);if(typeof o=="number")return o;let{values:e}=o,n=f(r.cwd,e.cwd??"."),l=e.policy?await m(f(r.cwd,e.policy),e.policy,{required:!0}):await m(f(n,h),h),c=await P({mode:"enforce",allowedRegistries:e["policy-allowed-registries"]},l,r.env),a=o.positionals.map(s=>(H(s)?D(n,s):s).replace(/^\.\//,"").replace(/\/+$/,"")),i=r.env.CHARTSHIP_USERNAME,d=r.env.CHARTSHIP_PASSWORD,p=await R({cwd:n,charts:a,policy:c,targets:e.registry??[],target:{username:i,password:d,plainHttp:e["plain-http"],caFile:e["ca-file"],insecureSkipTlsVerify:e["insecure-skip-tls-verify"]}},A),S=p.report.charts.some(s=>s.findings.some(g=>g.severity==="error"));if(e.json)r.stdout(`${JSON.stringify({...p.report,invalid:p.invalid.map(s=>s.describe())},null,2)}
`);else{for(let s of p.invalid)r.stdout(`${s.describe()}
`);r.stdout(O(p.report))}return S||p.invalid.length>0?1:0}export{z as run};
//# sourceMappingURL=lint-HAWIL4F3.js.map
