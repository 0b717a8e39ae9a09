import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
var e=class extends Error{name="UnsupportedCredentialSource";constructor(){super("AWS IAM Identity Center (SSO) profiles and `aws login` sessions are not supported by chartship's bundle (it leaves out the AWS SDK's SSO and sign-in clients)")}};function t(){throw new e}export{t as a};
//# sourceMappingURL=chunk-VHVGQZNK.js.map
