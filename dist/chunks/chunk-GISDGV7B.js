import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as c}from"./chunk-VT53CLAC.js";import{a}from"./chunk-TWYQNBIW.js";import{a as l}from"./chunk-2NIE6IDW.js";import{a as h}from"./chunk-L32SHWFS.js";function x(n,s=[]){let e=[];e.push(`Plan for ${g(n)}: ${n.charts.filter(t=>t.action==="release").length} of ${n.charts.length} charts to release`,"");let o=[["NAME","PATH","CURRENT","NEXT","BUMP","ACTION","WHY"],...n.charts.map(d)];e.push(...c(o));for(let t of n.deleted)e.push("",`deleted: ${t.name} (${a(t.path)}) \u2014 not published`);for(let t of n.invalid)e.push("",`invalid: ${f(t)} \u2014 not published`);let i=$(n);i&&e.push("",i);for(let t of n.charts.filter(r=>r.action!=="skipped")){e.push("",`${t.name} ${t.currentVersion} \u2192 ${t.nextVersion}`);for(let r of t.reasons)e.push(`  - ${r.message}${r.sha?` (${r.sha.slice(0,7)})`:""}`);t.dependents.length>0&&e.push(`  dependents: ${t.dependents.join(", ")}`),t.changelog.length>0&&e.push("",...p(t.changelog).trimEnd().split(`
`).map(r=>r&&`  ${r}`))}return s.length>0&&e.push("","written:",...s.map(t=>`  ${t}`)),`${e.join(`
`)}
`}function d(n){let s=n.reasons[0],e=n.reasons.length>1?` (+${n.reasons.length-1})`:"";return[n.name,a(n.path),n.currentVersion,n.nextVersion,n.bump,n.action,s?`${s.message}${e}`:""]}function g(n){return n.base?`${n.base.slice(0,7)}..${n.head.slice(0,7)}`:`each chart's last release tag..${n.head.slice(0,7)}`}function $(n){if(n.charts.some(i=>i.action!=="skipped")||n.invalid.length>0)return;let s=n.charts.map(i=>i.name),e=u(s),o=n.patterns.join(", ");return`no chart changed in ${g(n)}: looked at ${s.length} chart${s.length===1?"":"s"} matching ${o}${s.length?` (${e})`:""}`}function u(n,s=20,e=", "){return n.length>s?`${n.slice(0,s).join(e)} and ${n.length-s} more`:n.join(e)}function f(n){return`${h({file:n.file??n.chartYaml,line:n.line,column:n.column})}: ${n.field?`${n.field}: `:""}${n.message}`}function p(n){return l(n).map(s=>{let e=s.entries.map(o=>{let i=o.scope?`**${o.scope}:** `:"",t=o.pr===void 0?"":` (#${o.pr})`;return`- ${i}${o.subject}${t} (${o.shortSha})`});return`### ${s.title}

${e.join(`
`)}
`}).join(`
`)}export{x as a,u as b,f as c};
//# sourceMappingURL=chunk-GISDGV7B.js.map
