import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
var p=e=>encodeURIComponent(e).replace(/[!'()*]/g,s),s=e=>`%${e.charCodeAt(0).toString(16).toUpperCase()}`;function m(e){let n=[];for(let t of Object.keys(e).sort()){let r=e[t];if(t=p(t),Array.isArray(r))for(let o=0,i=r.length;o<i;o++)n.push(`${t}=${p(r[o])}`);else{let o=t;(r||typeof r=="string")&&(o+=`=${p(r)}`),n.push(o)}}return n.join("&")}export{p as a,m as b};
//# sourceMappingURL=chunk-4YBCJJTW.js.map
