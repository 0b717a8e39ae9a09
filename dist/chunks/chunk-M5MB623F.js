import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
function e(n){return n!==void 0&&(n.startsWith("pull_request")||n==="merge_group")}export{e as a};
//# sourceMappingURL=chunk-M5MB623F.js.map
