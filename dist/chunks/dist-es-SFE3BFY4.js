import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-GAHZM33B.js";import"./chunk-LHOATSD6.js";import"./chunk-YFGYBRBT.js";import"./chunk-QUHDQJ3C.js";import"./chunk-3YDHQIRY.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
//# sourceMappingURL=dist-es-SFE3BFY4.js.map
