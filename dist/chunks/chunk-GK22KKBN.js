import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{parseArgs as a}from"node:util";async function m(n,o,t){let e;try{e=a({args:o,options:{...n.options,help:{type:"boolean",short:"h"}},allowPositionals:!0,strict:!0})}catch(i){return s(n,await p(i,Object.keys(n.options)),t)}if(e.values.help)return t.stdout(n.help),0;let r=e.positionals.length;return r<n.positionals.min||r>n.positionals.max?s(n,`expected ${n.positionals.what}, got ${r} argument(s)`,t):e}async function p(n,o){let t=n.code==="ERR_PARSE_ARGS_UNKNOWN_OPTION"?/^Unknown option '--([^'=]+)'/.exec(n.message)?.[1]:void 0;if(t===void 0)return n.message;let e=(await import("./keys-HBKBM2IY.js")).didYouMean(t,[...o,"help"]);return`unknown option --${t}${e?` (did you mean --${e}?)`:""}`}function s(n,o,t){return t.stderr(`chartship ${n.name}: ${o}

${n.help}`),2}export{m as a,s as b};
//# sourceMappingURL=chunk-GK22KKBN.js.map
