import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{C,h as v,j as S,k as R,m as j,x as O,y as x}from"./chunk-TKEKUT4Y.js";import"./chunk-XRWPEEV6.js";import"./chunk-E62TDGS2.js";import{$ as b,A as $,Z as P,q as h,v as w,w as y,y as u}from"./chunk-TXIGZPSC.js";import"./chunk-3ZVB2U6R.js";import"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";import{resolve as F}from"node:path";async function W(r,e){let n=F(e.cwd,r.cwd??"."),o=await R({...r,"release-tag-template":r["release-tag-template"]??r["tag-template"]},e),t=P(o),s=y(t),d=r["since-tags"]?{sinceTags:!0}:b(t.optional("base"),j(e.env,n)),E=r.head??("head"in d&&d.head!=="HEAD"?d.head:void 0),c=await v(e,n,r.config),m=r.registry?.length?S(t,r.registry,{...e,cwd:n}):void 0,g=m?.targets??[],l={cwd:n,charts:o.charts===void 0?void 0:t.list("charts"),exclude:t.list("exclude"),skipDeprecated:t.bool("skip-deprecated"),...d,head:E,tagTemplate:s.tagTemplate??c.versioning["release-tag-template"],...s.given,versionBump:s.versionBump,rulesFor:w(c.versioning,s.given),selectors:h(c),registryNamespaces:g,onWarning:i=>e.stderr(`warning: ${i.describe()}
`)},a=m?await(await import("./plan-registry-BBI3M3PP.js")).planAgainstRegistries({...l,registries:g,target:m.target,overwrite:t.bool("overwrite"),env:e.env,warn:i=>e.stderr(`warning: ${i}
`)}):await O(l),p=r.shards===void 0?void 0:u(a,$(r.shards)),f=r.write?await(await import("./plan-edits-3V3I6YGF.js")).applyPlan(a):[];r.json?e.stdout(`${JSON.stringify({...a,...r.write?{written:f}:{},...p?{shards:p}:{}},null,2)}
`):e.stdout(`${x(a,f)}${p?I(p):""}`);for(let i of a.invalid)e.stderr(`error: ${C(i)}
`);return a.invalid.length>0?1:0}function I(r){return`
shards (each wave after the one before):
${r.flatMap((n,o)=>n.map(t=>`  wave ${o+1} shard ${t.shard}: ${t.charts.join(", ")}`)).join(`
`)}
`}export{W as runPlan};
//# sourceMappingURL=plan-run-T7ZG5VLO.js.map
