import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as t}from"./chunk-SJLFYTGG.js";import{i as m}from"./chunk-MVH4KTF6.js";import{a as e}from"./chunk-UFEMWOPB.js";import{i as o}from"./chunk-XFYVFJQI.js";import{resolve as n}from"node:path";async function h(p,i,r){if(r)return t(n(p.cwd,r),r,{required:!0});let f=await m(e(i))??i;return t(n(f,o),o)}export{h as a};
//# sourceMappingURL=chunk-T4VLUI2S.js.map
