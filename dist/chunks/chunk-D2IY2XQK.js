import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as o}from"./chunk-C5D5W6JD.js";import{readFile as c}from"node:fs/promises";import{resolve as p}from"node:path";async function s(r,e,n){let t=p(r.cwd,e);try{return await c(t,"utf8")}catch(i){throw new o(`cannot read ${t}: ${i.code??i.message}`,{field:n,file:t})}}async function f(r){return(await r.readStdin()).toString("utf8").replace(/\r?\n$/,"")}async function l(r,e,n,t){let i=await s(r,e,t.key),a=n?(await s(r,n,t.passphrase)).replace(/\r?\n$/,""):void 0;return{armoredKey:i,passphrase:a,label:e}}export{s as a,f as b,l as c};
//# sourceMappingURL=chunk-D2IY2XQK.js.map
