import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
function e(n,r){return n===r||n.replace(/\r\n/g,`
`)===r.replace(/\r\n/g,`
`)}export{e as a};
//# sourceMappingURL=chunk-EB56I4CH.js.map
