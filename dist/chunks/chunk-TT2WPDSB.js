import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{q as n,r as i,s as t,t as e}from"./chunk-VCP23RTA.js";function f(o){if(o?.file)return{file:o.file,startLine:o.line,startColumn:o.column,title:o.field}}function c(o,r){return r?.field?`${r.field}: ${o}`:o}var a={info:o=>t(o),warning:(o,r)=>i(c(o,r),f(r)),error:(o,r)=>n(c(o,r),f(r)),group:(o,r)=>e(o,r)};export{a};
//# sourceMappingURL=chunk-TT2WPDSB.js.map
