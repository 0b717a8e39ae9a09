import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{parseArgs as a}from"node:util";function l(t,r,e){let n;try{n=a({args:r,options:{...t.options,help:{type:"boolean",short:"h"}},allowPositionals:!0,strict:!0})}catch(i){return s(t,i.message,e)}if(n.values.help)return e.stdout(t.help),0;let o=n.positionals.length;return o<t.positionals.min||o>t.positionals.max?s(t,`expected ${t.positionals.what}, got ${o} argument(s)`,e):n}function s(t,r,e){return e.stderr(`chartship ${t.name}: ${r}

${t.help}`),2}export{l as a,s as b};
//# sourceMappingURL=chunk-TVUV7KU6.js.map
