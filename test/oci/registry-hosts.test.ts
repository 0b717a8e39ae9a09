import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rateLimitNote } from '../../src/oci/rate-limit.js';
import { entraTenant } from '../../src/oci/registries/acr.js';
import { apiHost, ecrRegistry, hostKey, registryKind } from '../../src/oci/registries/hosts.js';

it('registry hosts are told apart by their documented names', () => {
  const kinds: Record<string, string> = {
    'docker.io': 'docker-hub',
    'index.docker.io': 'docker-hub',
    'registry-1.docker.io': 'docker-hub',
    'ghcr.io': 'ghcr',
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr',
    '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com': 'ecr',
    '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn': 'ecr',
    'public.ecr.aws': 'other',
    'contoso.azurecr.io': 'acr',
    'contoso.azurecr.cn': 'acr',
    'europe-west3-docker.pkg.dev': 'gar',
    'eu.gcr.io': 'gar',
    'quay.io': 'quay',
    'acme-registry.cn-hangzhou.cr.aliyuncs.com': 'alibaba',
    'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com': 'alibaba',
    'registry.cn-hangzhou.aliyuncs.com': 'alibaba',
    'registry-intl.ap-southeast-1.aliyuncs.com': 'alibaba',
    'harbor.example.com': 'other',
    '127.0.0.1:5000': 'other',
  };
  for (const [host, kind] of Object.entries(kinds)) assert.equal(registryKind(host), kind, host);
  assert.equal(apiHost('docker.io'), 'registry-1.docker.io');
  assert.equal(apiHost('ghcr.io'), 'ghcr.io');
  assert.equal(hostKey('Index.Docker.io'), 'docker.io');
  assert.deepEqual(ecrRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com'), { account: '123456789012', region: 'eu-west-1' });
  assert.equal(ecrRegistry('ghcr.io'), undefined);
});

it('an Entra ID access token is told from an ACR refresh token by its issuer', () => {
  const jwt = (claims: object) => ['{"alg":"RS256"}', JSON.stringify(claims), 'sig'].map((p) => Buffer.from(p).toString('base64url')).join('.');
  assert.equal(entraTenant(jwt({ iss: 'https://sts.windows.net/t-1/', tid: 't-1' })), 't-1');
  assert.equal(entraTenant(jwt({ iss: 'https://login.microsoftonline.com/t-2/v2.0', tid: 't-2' })), 't-2');
  assert.equal(entraTenant(jwt({ iss: 'Azure Container Registry', tenant: 't-1' })), undefined);
  assert.equal(entraTenant('not-a-jwt'), undefined);
});

it('a rate limit is read from Docker Hub\'s, the IETF draft\'s and the API\'s headers', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  assert.equal(rateLimitNote({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' }, now), 'rate limit: limit 100 per 6 h, 0 remaining');
  assert.equal(rateLimitNote({ 'ratelimit-limit': '10', 'ratelimit-reset': '90' }, now), 'rate limit: limit 10, resets in 2 min');
  assert.equal(rateLimitNote({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 3900) }, now), 'rate limit: 0 remaining, resets in 1 h 5 min');
  assert.equal(rateLimitNote({ 'retry-after': '30' }, now), 'rate limit: resets in 30 s');
  assert.equal(rateLimitNote({}, now), undefined);
});
