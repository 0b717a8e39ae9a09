import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as d}from"./chunk-VT53CLAC.js";import{a}from"./chunk-3BIMSVTA.js";import{a as h}from"./chunk-QYJS4TKE.js";function C(e,s=[]){let n=[];n.push(`Plan for ${l(e)}: ${e.charts.filter(t=>t.action==="release").length} of ${e.charts.length} charts to release`,"");let o=[["NAME","PATH","CURRENT","NEXT","BUMP","ACTION","WHY"],...e.charts.map(c)];n.push(...d(o));for(let t of e.deleted)n.push("",`deleted: ${t.name} (${a(t.path)}) \u2014 not published`);for(let t of e.invalid)n.push("",`invalid: ${$(t)} \u2014 not published`);let i=g(e);i&&n.push("",i);for(let t of e.charts.filter(r=>r.action!=="skipped")){n.push("",`${t.name} ${t.currentVersion} \u2192 ${t.nextVersion}`);for(let r of t.reasons)n.push(`  - ${r.message}${r.sha?` (${r.sha.slice(0,7)})`:""}`);t.dependents.length>0&&n.push(`  dependents: ${t.dependents.join(", ")}`),t.changelog.length>0&&n.push("",...u(t.changelog).trimEnd().split(`
`).map(r=>r&&`  ${r}`))}return s.length>0&&n.push("","written:",...s.map(t=>`  ${t}`)),`${n.join(`
`)}
`}function c(e){let s=e.reasons[0],n=e.reasons.length>1?` (+${e.reasons.length-1})`:"";return[e.name,a(e.path),e.currentVersion,e.nextVersion,e.bump,e.action,s?`${s.message}${n}`:""]}function l(e){return e.base?`${e.base.slice(0,7)}..${e.head.slice(0,7)}`:`each chart's last release tag..${e.head.slice(0,7)}`}function g(e){if(e.charts.some(i=>i.action!=="skipped")||e.invalid.length>0)return;let s=e.charts.map(i=>i.name),n=s.length>20?`${s.slice(0,20).join(", ")} and ${s.length-20} more`:s.join(", "),o=e.patterns.join(", ");return`no chart changed in ${l(e)}: looked at ${s.length} chart${s.length===1?"":"s"} matching ${o}${s.length?` (${n})`:""}`}function $(e){return`${[e.file??e.chartYaml,e.line,e.line===void 0?void 0:e.column].filter(n=>n!==void 0).join(":")}: ${e.field?`${e.field}: `:""}${e.message}`}function u(e){return h(e).map(s=>{let n=s.entries.map(o=>{let i=o.scope?`**${o.scope}:** `:"",t=o.pr===void 0?"":` (#${o.pr})`;return`- ${i}${o.subject}${t} (${o.shortSha})`});return`### ${s.title}

${n.join(`
`)}
`}).join(`
`)}export{C as a,$ as b};
//# sourceMappingURL=chunk-YYQP6E6E.js.map
