import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
function e(i){let n=i.userIds.map(r=>`Signed by: ${r}`);return n.push(`Using Key With Fingerprint: ${i.fingerprint}`,`Chart Hash Verified: ${i.chartHash}`),`${n.join(`
`)}
`}export{e as a};
//# sourceMappingURL=chunk-WIQAFGXS.js.map
