import { ChartshipError } from '../../model/errors.js';
import { RegistryError } from '../errors.js';
import { redactUrl } from '../../model/redact.js';
import { LIMITS, type Transport } from '../transport.js';

/**
 * Azure Container Registry takes an Entra ID (AAD) access token only through its exchange endpoint (Azure/acr
 * docs/AAD-OAuth.md, "Calling POST /oauth2/exchange to get an ACR refresh token"): POST
 * `grant_type=access_token&service=<registry>&tenant=<tenant>&access_token=<AAD token>` answers
 * `{"refresh_token":"…"}`, an ACR refresh token, which then buys access tokens at `POST /oauth2/token` like any
 * refresh token. ACR's own refresh tokens are JWTs too, issued by "Azure Container Registry"; an Entra ID token is
 * told apart by its issuer (`https://sts.windows.net/<tenant>/` for v1 tokens, `https://login.microsoftonline.com/
 * <tenant>/v2.0` for v2, and the sovereign clouds' equivalents), and carries its tenant in `tid`.
 */
const ENTRA_ISSUER = /^https:\/\/(?:sts\.windows\.net|sts\.chinacloudapi\.cn|login\.microsoftonline\.(?:com|us)|login\.chinacloudapi\.cn|login\.partner\.microsoftonline\.cn)\//i;

/** The tenant of an Entra ID access token (`''` when it names none); undefined when `token` is not one. */
export function entraTenant(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  let claims: { iss?: unknown; tid?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return undefined;
  }
  if (typeof claims.iss !== 'string' || !ENTRA_ISSUER.test(claims.iss)) return undefined;
  return typeof claims.tid === 'string' ? claims.tid : '';
}

/**
 * Exchanges an Entra ID access token for an ACR refresh token at the exchange endpoint next to the token realm
 * (`https://<registry>/oauth2/token` → `…/oauth2/exchange`).
 */
export async function exchangeEntraToken(transport: Transport, realm: URL, service: string | undefined, accessToken: string, source: string): Promise<string> {
  const url = new URL('exchange', realm);
  const form = new URLSearchParams({ grant_type: 'access_token', access_token: accessToken });
  if (service) form.set('service', service);
  const tenant = entraTenant(accessToken);
  if (tenant) form.set('tenant', tenant);
  const response = await transport.request({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(form.toString()),
    what: 'token',
    limit: LIMITS.token,
  });
  if (response.status === 401 || response.status === 403) {
    throw new RegistryError({
      status: response.status,
      method: 'POST',
      url,
      code: 'UNAUTHORIZED',
      message: `ACR refused to exchange the Entra ID access token from ${source}`,
      hint: 'give an unexpired Entra ID access token for https://containerregistry.azure.net (az account get-access-token --resource https://containerregistry.azure.net) of an identity with the AcrPush role',
    });
  }
  if (response.status !== 200) {
    throw new RegistryError({ status: response.status, method: 'POST', url, code: `HTTP_${response.status}`, message: 'the exchange of the Entra ID access token failed' });
  }
  let refresh: unknown;
  try {
    refresh = (JSON.parse(response.body.toString('utf8')) as { refresh_token?: unknown }).refresh_token;
  } catch {
    refresh = undefined;
  }
  if (typeof refresh !== 'string' || refresh === '') {
    throw new ChartshipError(`the ACR exchange endpoint ${redactUrl(url)} answered without a refresh token`, { code: 'AUTH_TOKEN_INVALID' });
  }
  return refresh;
}
