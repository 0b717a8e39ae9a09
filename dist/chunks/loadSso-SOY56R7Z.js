import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as e}from"./chunk-VHVGQZNK.js";import"./chunk-3YDHQIRY.js";export{e as GetRoleCredentialsCommand,e as SSOClient};
//# sourceMappingURL=loadSso-SOY56R7Z.js.map
