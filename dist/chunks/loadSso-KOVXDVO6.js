import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as e}from"./chunk-EZJMYU43.js";import"./chunk-JTO7CUDJ.js";export{e as GetRoleCredentialsCommand,e as SSOClient};
//# sourceMappingURL=loadSso-KOVXDVO6.js.map
