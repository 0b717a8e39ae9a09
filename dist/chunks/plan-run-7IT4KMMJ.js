import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{g as v,i as S,j as R,l as j,s as O,t as x,v as C}from"./chunk-PCUZFZPL.js";import"./chunk-QSZ53VGL.js";import"./chunk-RNE6YAWX.js";import{X as P,Z as b,p as h,u as w,v as y,x as u,z as $}from"./chunk-744NGGGV.js";import"./chunk-MNGVCT3G.js";import"./chunk-D7RWX3Y4.js";import"./chunk-JTO7CUDJ.js";import{resolve as F}from"node:path";async function V(r,e){let i=F(e.cwd,r.cwd??"."),s=await R({...r,"release-tag-template":r["release-tag-template"]??r["tag-template"]},e),t=P(s),o=y(t),d=r["since-tags"]?{sinceTags:!0}:b(t.optional("base"),j(e.env,i)),E=r.head??("head"in d&&d.head!=="HEAD"?d.head:void 0),c=await v(e,i,r.config),m=r.registry?.length?S(t,r.registry,{...e,cwd:i}):void 0,g=m?.targets??[],l={cwd:i,charts:s.charts===void 0?void 0:t.list("charts"),exclude:t.list("exclude"),skipDeprecated:t.bool("skip-deprecated"),...d,head:E,tagTemplate:o.tagTemplate??c.versioning["release-tag-template"],...o.given,versionBump:o.versionBump,rulesFor:w(c.versioning,o.given),selectors:h(c),registryNamespaces:g.filter(n=>n.startsWith("oci://")),onWarning:n=>e.stderr(`warning: ${n.describe()}
`)},a=m?await(await import("./plan-registry-PFCMDMBZ.js")).planAgainstRegistries({...l,registries:g,target:m.target,overwrite:t.bool("overwrite"),env:e.env,warn:n=>e.stderr(`warning: ${n}
`)}):await O(l),p=r.shards===void 0?void 0:u(a,$(r.shards)),f=r.write?await(await import("./plan-edits-L5YAFA7C.js")).applyPlan(a):[];r.json?e.stdout(`${JSON.stringify({...a,...r.write?{written:f}:{},...p?{shards:p}:{}},null,2)}
`):e.stdout(`${x(a,f)}${p?I(p):""}`);for(let n of a.invalid)e.stderr(`error: ${C(n)}
`);return a.invalid.length>0?1:0}function I(r){return`
shards (each wave after the one before):
${r.flatMap((i,s)=>i.map(t=>`  wave ${s+1} shard ${t.shard}: ${t.charts.join(", ")}`)).join(`
`)}
`}export{V as runPlan};
//# sourceMappingURL=plan-run-7IT4KMMJ.js.map
