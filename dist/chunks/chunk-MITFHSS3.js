import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{parseArgs as i}from"node:util";function p(t,o,e){let r;try{r=i({args:o,options:{...t.options,help:{type:"boolean",short:"h"}},allowPositionals:!0,strict:!0})}catch(s){return e.stderr(`chartship ${t.name}: ${s.message}

${t.help}`),2}if(r.values.help)return e.stdout(t.help),0;let n=r.positionals.length;return n<t.positionals.min||n>t.positionals.max?(e.stderr(`chartship ${t.name}: expected ${t.positionals.what}, got ${n} argument(s)

${t.help}`),2):r}export{p as a};
//# sourceMappingURL=chunk-MITFHSS3.js.map
