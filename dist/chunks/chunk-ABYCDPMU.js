import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as i}from"./chunk-JUV7BBH4.js";import{d as n}from"./chunk-BDGXM5KZ.js";import{i as o}from"./chunk-TVIJWVPR.js";import{resolve as t}from"node:path";async function d(m,e,r){if(r)return i(t(m.cwd,r),r,{required:!0});let p=n(t(e))??e;return i(t(p,o),o)}export{d as a};
//# sourceMappingURL=chunk-ABYCDPMU.js.map
