import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{homedir as e}from"node:os";import{join as n}from"node:path";function o(r){let i=r.userIds.map(t=>`Signed by: ${t}`);return i.push(`Using Key With Fingerprint: ${r.fingerprint}`,`Chart Hash Verified: ${r.chartHash}`),`${i.join(`
`)}
`}function s(r){return r.GNUPGHOME?n(r.GNUPGHOME,"pubring.gpg"):n(r.HOME||e(),".gnupg","pubring.gpg")}var u="pass --keyring FILE (gpg --export KEYID > pubring.gpg)";export{o as a,s as b,u as c};
//# sourceMappingURL=chunk-WGEBUC5J.js.map
