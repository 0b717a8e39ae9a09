import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{parseArgs as a}from"node:util";async function l(t,o,n){let e;try{e=a({args:o,options:{...t.options,help:{type:"boolean",short:"h"}},allowPositionals:!0,strict:!0,allowNegative:!0})}catch(i){return s(t,await p(i,Object.keys(t.options)),n)}if(e.values.help)return n.stdout(t.help),0;let r=e.positionals.length;return r<t.positionals.min||r>t.positionals.max?s(t,`expected ${t.positionals.what}, got ${r} argument(s)`,n):e}async function p(t,o){let n=t.code==="ERR_PARSE_ARGS_UNKNOWN_OPTION"?/^Unknown option '--([^'=]+)'/.exec(t.message)?.[1]:void 0;if(n===void 0)return t.message;let e=(await import("./keys-HBKBM2IY.js")).didYouMean(n,[...o,"help"]);return`unknown option --${n}${e?` (did you mean --${e}?)`:""}`}function s(t,o,n){return n.stderr(`chartship ${t.name}: ${o}

${t.help}`),2}export{l as a,s as b};
//# sourceMappingURL=chunk-4QWYSXHQ.js.map
