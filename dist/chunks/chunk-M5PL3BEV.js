import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
function o(t){let s=t.dsseEnvelope,e=n=>Buffer.from(typeof n=="string"?n:"","base64"),a=Array.isArray(s?.signatures)?s.signatures:[];return{payload:e(s?.payload),signatures:a.map(n=>e(n?.sig)).filter(n=>n.length>0)}}function u(t){return o(t).payload}function i(t){try{let e=JSON.parse(u(t).toString("utf8")).subject?.[0]?.digest?.sha256;return typeof e=="string"&&/^[0-9a-f]{64}$/.test(e)?`sha256:${e}`:void 0}catch{return}}function f(t,s){let e=o(t),a=o(s);return e.payload.length>0&&e.payload.equals(a.payload)&&a.signatures.length>0&&a.signatures.every(n=>e.signatures.some(r=>r.equals(n)))}export{u as a,i as b,f as c};
//# sourceMappingURL=chunk-M5PL3BEV.js.map
