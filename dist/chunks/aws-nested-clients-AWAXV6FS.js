import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a}from"./chunk-VHVGQZNK.js";import"./chunk-3YDHQIRY.js";export{a as CreateOAuth2TokenCommand,a as CreateTokenCommand,a as GetRoleCredentialsCommand,a as SSOClient,a as SSOOIDCClient,a as SigninClient,a as getDefaultRoleAssumer,a as getDefaultRoleAssumerWithWebIdentity};
//# sourceMappingURL=aws-nested-clients-AWAXV6FS.js.map
