import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{j as n,k as a}from"./chunk-TVIJWVPR.js";import{b as i}from"./chunk-L32SHWFS.js";import{readFile as c}from"node:fs/promises";async function h(f,o,s={}){let e;try{e=await c(f,"utf8")}catch(t){let r=t.code;if((r==="ENOENT"||r==="ENOTDIR")&&!s.required)return a();throw new i(r==="ENOENT"?"configuration file not found":`cannot read the configuration file: ${t.message}`,{file:o,code:"CONFIG_INVALID"})}return n(e,o)}export{h as a};
//# sourceMappingURL=chunk-JUV7BBH4.js.map
