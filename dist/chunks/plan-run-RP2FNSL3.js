import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{A as C,g as v,i as S,j as R,l as j,v as O,w as x}from"./chunk-3OZJDZXU.js";import"./chunk-2YXVPT7A.js";import"./chunk-DYPCRCDX.js";import{$ as b,A as $,Z as P,q as h,v as w,w as y,y as u}from"./chunk-VPMHZWKU.js";import"./chunk-6MQQGIMF.js";import"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";import{resolve as F}from"node:path";async function W(r,e){let n=F(e.cwd,r.cwd??"."),o=await R({...r,"release-tag-template":r["release-tag-template"]??r["tag-template"]},e),t=P(o),s=y(t),d=r["since-tags"]?{sinceTags:!0}:b(t.optional("base"),j(e.env,n)),E=r.head??("head"in d&&d.head!=="HEAD"?d.head:void 0),c=await v(e,n,r.config),m=r.registry?.length?S(t,r.registry,{...e,cwd:n}):void 0,g=m?.targets??[],l={cwd:n,charts:o.charts===void 0?void 0:t.list("charts"),exclude:t.list("exclude"),skipDeprecated:t.bool("skip-deprecated"),...d,head:E,tagTemplate:s.tagTemplate??c.versioning["release-tag-template"],...s.given,versionBump:s.versionBump,rulesFor:w(c.versioning,s.given),selectors:h(c),registryNamespaces:g,onWarning:i=>e.stderr(`warning: ${i.describe()}
`)},a=m?await(await import("./plan-registry-QNRM4LPN.js")).planAgainstRegistries({...l,registries:g,target:m.target,overwrite:t.bool("overwrite"),env:e.env,warn:i=>e.stderr(`warning: ${i}
`)}):await O(l),p=r.shards===void 0?void 0:u(a,$(r.shards)),f=r.write?await(await import("./plan-edits-XFJM24WR.js")).applyPlan(a):[];r.json?e.stdout(`${JSON.stringify({...a,...r.write?{written:f}:{},...p?{shards:p}:{}},null,2)}
`):e.stdout(`${x(a,f)}${p?I(p):""}`);for(let i of a.invalid)e.stderr(`error: ${C(i)}
`);return a.invalid.length>0?1:0}function I(r){return`
shards (each wave after the one before):
${r.flatMap((n,o)=>n.map(t=>`  wave ${o+1} shard ${t.shard}: ${t.charts.join(", ")}`)).join(`
`)}
`}export{W as runPlan};
//# sourceMappingURL=plan-run-RP2FNSL3.js.map
