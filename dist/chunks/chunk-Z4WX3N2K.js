import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
function i(r){return`${r?.file?`${[r.file,r.line,r.line===void 0?void 0:r.column].filter(n=>n!==void 0).join(":")}: `:""}${r?.field?`${r.field}: `:""}`}function f(r){return{info:e=>r.stderr(`${e}
`),warning:(e,n)=>r.stderr(`warning: ${i(n)}${e}
`),error:(e,n)=>r.stderr(`error: ${i(n)}${e}
`),group:async(e,n)=>(r.stderr(`==> ${e}
`),n())}}export{f as a};
//# sourceMappingURL=chunk-Z4WX3N2K.js.map
