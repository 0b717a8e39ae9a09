import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as f}from"./chunk-L32SHWFS.js";function s(n){return`${n?.file?`${f(n)}: `:""}${n?.field?`${n.field}: `:""}`}function l(n){let e,i=r=>e?e.push(r):n.stderr(r);return{info:r=>i(`${r}
`),warning:(r,t)=>i(`warning: ${s(t)}${r}
`),error:(r,t)=>i(`error: ${s(t)}${r}
`),group:async(r,t)=>{if(e)return e.push(`==> ${r}
`),t();e=[`==> ${r}
`];let o;try{o=t()}finally{let p=e.join("");e=void 0,n.stderr(p)}return o}}}export{l as a};
//# sourceMappingURL=chunk-5GP6G57E.js.map
