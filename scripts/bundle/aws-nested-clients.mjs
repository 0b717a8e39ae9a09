// Stands in for the AWS SDK's nested clients (@aws-sdk/nested-clients/sts, sso, sso-oidc, signin) in the bundle
// (scripts/build.mjs). The SDK's credential chain loads them for role assumption, IAM Identity Center (SSO) and
// `aws login` sessions; each is a full SDK client (STS alone adds ≈ 140 kB to dist/, SSO ≈ 130 kB), more than the
// dist/ budget leaves. chartship hands the chain its own STS calls (src/oci/registries/aws-api.ts), so STS is never
// asked for here; SSO and `aws login` sessions fail with this error, which README's Amazon ECR section documents.
class UnsupportedCredentialSource extends Error {
  name = 'UnsupportedCredentialSource';
  constructor() {
    super(
      "AWS IAM Identity Center (SSO) profiles and `aws login` sessions are not supported by chartship's bundle (it leaves out the AWS SDK's SSO and sign-in clients)",
    );
  }
}
// A function, not an arrow: the SDK calls `new SSOClient(…)`, and that must throw this error, not a TypeError.
function unsupported() {
  throw new UnsupportedCredentialSource();
}
export {
  unsupported as SSOClient,
  unsupported as GetRoleCredentialsCommand,
  unsupported as SSOOIDCClient,
  unsupported as CreateTokenCommand,
  unsupported as SigninClient,
  unsupported as CreateOAuth2TokenCommand,
  unsupported as getDefaultRoleAssumer,
  unsupported as getDefaultRoleAssumerWithWebIdentity,
};
