import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
function e(a){let p=(a[0]??[]).map((m,t)=>Math.max(...a.map(n=>(n[t]??"").length)));return a.map(m=>m.map((t,n)=>n===m.length-1?t:t.padEnd(p[n]??0)).join("  ").trimEnd())}export{e as a};
//# sourceMappingURL=chunk-VT53CLAC.js.map
