import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{g as O,i as v,j as C,l as I,s as R,t as j,v as E}from"./chunk-BCEOVX6B.js";import"./chunk-5ON2JLPX.js";import"./chunk-RNE6YAWX.js";import{X as S,Z as b,p as w,u as y,v as $,x as u,z as P}from"./chunk-744NGGGV.js";import"./chunk-MNGVCT3G.js";import{b as h}from"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";import{resolve as x}from"node:path";async function M(r,t){let i=x(t.cwd,r.cwd??"."),o=await C({...r,"release-tag-template":r["release-tag-template"]??r["tag-template"]},t),e=S(o),s=$(e),d=r["since-tags"]?{sinceTags:!0}:b(e.optional("base"),I(t.env,i)),N=r.head??("head"in d&&d.head!=="HEAD"?d.head:void 0),c=await O(t,i,r.config);for(let n of r.registry??[])if(!n.startsWith("oci://"))throw new h(`--registry ${JSON.stringify(n)} must start with oci://`,{field:"registry",code:"CONFIG_INVALID"});let m=r.registry?.length?v(e,r.registry,{...t,cwd:i}):void 0,g=m?.targets??[],f={cwd:i,charts:o.charts===void 0?void 0:e.list("charts"),exclude:e.list("exclude"),skipDeprecated:e.bool("skip-deprecated"),...d,head:N,tagTemplate:s.tagTemplate??c.versioning["release-tag-template"],...s.given,versionBump:s.versionBump,rulesFor:y(c.versioning,s.given),selectors:w(c),registryNamespaces:g,onWarning:n=>t.stderr(`warning: ${n.describe()}
`)},a=m?await(await import("./plan-registry-YNYYPFV7.js")).planAgainstRegistries({...f,registries:g,target:m.target,overwrite:e.bool("overwrite"),env:t.env,warn:n=>t.stderr(`warning: ${n}
`)}):await R(f),p=r.shards===void 0?void 0:u(a,P(r.shards)),l=r.write?await(await import("./plan-edits-62NFWWCX.js")).applyPlan(a):[];r.json?t.stdout(`${JSON.stringify({...a,...r.write?{written:l}:{},...p?{shards:p}:{}},null,2)}
`):t.stdout(`${j(a,l)}${p?F(p):""}`);for(let n of a.invalid)t.stderr(`error: ${E(n)}
`);return a.invalid.length>0?1:0}function F(r){return`
shards (each wave after the one before):
${r.flatMap((i,o)=>i.map(e=>`  wave ${o+1} shard ${e.shard}: ${e.charts.join(", ")}`)).join(`
`)}
`}export{M as runPlan};
//# sourceMappingURL=plan-run-EINCJIPX.js.map
