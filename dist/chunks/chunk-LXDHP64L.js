import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{readFileSync as o}from"node:fs";import{readdir as d}from"node:fs/promises";import{join as i}from"node:path";function f(t){return{async list(r){try{return(await d(r===""?t:i(t,r),{withFileTypes:!0})).map(n=>({name:n.name,directory:n.isDirectory()}))}catch(e){let n=e.code;if(n==="ENOENT"||n==="ENOTDIR")return;throw e}},read:r=>new Promise(e=>e(r.map(n=>c(i(t,n)))))}}function c(t){try{return o(t,"utf8")}catch(r){let e=r.code;if(e==="ENOENT"||e==="ENOTDIR"||e==="EISDIR")return;throw r}}export{f as a};
//# sourceMappingURL=chunk-LXDHP64L.js.map
