import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
function o(e){return`${e?.file?`${[e.file,e.line,e.line===void 0?void 0:e.column].filter(t=>t!==void 0).join(":")}: `:""}${e?.field?`${e.field}: `:""}`}function s(e){let n,t=r=>n?n.push(r):e.stderr(r);return{info:r=>t(`${r}
`),warning:(r,i)=>t(`warning: ${o(i)}${r}
`),error:(r,i)=>t(`error: ${o(i)}${r}
`),group:async(r,i)=>{if(n)return n.push(`==> ${r}
`),i();n=[`==> ${r}
`];let f;try{f=i()}finally{let d=n.join("");n=void 0,e.stderr(d)}return f}}}export{s as a};
//# sourceMappingURL=chunk-URMLBNZK.js.map
