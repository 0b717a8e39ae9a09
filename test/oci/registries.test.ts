/**
 * The registries users have, each reached by its real name over TLS on port 443 (test/helpers/named-registry.ts: the
 * real docker-registry behind a front, a forward proxy resolving the name to loopback) and, where the registry's
 * documented flow differs from the plain distribution one, an emulation of that flow in the token server or the
 * front. Each test pushes several charts at once through one client, so concurrent logins are exercised.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { openTarget, type ChartTarget } from '../../src/helm-oci/index.js';
import { type TargetOptions } from '../../src/oci/index.js';
import { startFlakyProxy } from '../helpers/flaky-proxy.js';
import { startNamedRegistry, type NamedRegistry } from '../helpers/named-registry.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-registries-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A home with only the given docker config (none: an empty home). */
function home(name: string, dockerConfig?: object): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, '.docker'), { recursive: true });
  if (dockerConfig) writeFileSync(join(dir, '.docker', 'config.json'), JSON.stringify(dockerConfig));
  return dir;
}

function through(named: NamedRegistry, homeDir: string, extra: TargetOptions = {}): TargetOptions {
  return { caFile: named.caFile, env: { HOME: homeDir, HTTPS_PROXY: named.proxy.url }, retry: { attempts: 1 }, ...extra };
}

/** Pushes `names` at once through one target; returns the refs, or throws the first failure. */
async function pushAll(spec: string, options: TargetOptions, names: string[]): Promise<string[]> {
  const target: ChartTarget = openTarget(spec, options);
  try {
    const results = await Promise.all(names.map((name) => target.pushChart({ archive: chartArchive({ name, version: '1.0.0' }) })));
    return results.map((r) => `${r.ref} ${r.status}`);
  } finally {
    await target.close();
  }
}

async function refusal(promise: Promise<unknown>): Promise<ChartshipError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ChartshipError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

describe('Docker Hub (emulated names and rate limit)', () => {
  let hub: NamedRegistry;
  after(() => hub?.stop());

  it('oci://docker.io/NS talks to registry-1.docker.io, with the login filed under any of Docker Hub\'s names', async () => {
    hub = await startNamedRegistry(['registry-1.docker.io'], { auth: 'htpasswd', users: { hubuser: 'hub-pat-1234' } });
    for (const [i, key] of ['https://index.docker.io/v1/', 'docker.io', 'index.docker.io'].entries()) {
      const dir = home(`hub-${i}`, { auths: { [key]: { auth: basic('hubuser', 'hub-pat-1234') } } });
      const refs = await pushAll('oci://docker.io/acme', through(hub, dir), [`hub${i}-a`, `hub${i}-b`, `hub${i}-c`]);
      assert.deepEqual(refs, [`docker.io/acme/hub${i}-a:1.0.0 pushed`, `docker.io/acme/hub${i}-b:1.0.0 pushed`, `docker.io/acme/hub${i}-c:1.0.0 pushed`], key);
    }
    assert.deepEqual([...hub.proxy.tunnels.keys()], ['registry-1.docker.io:443']);
    const stored = await hub.registry.settle();
    assert.ok(stored.some((e) => e.method === 'PUT' && e.path === '/v2/acme/hub0-a/manifests/1.0.0' && e.status === 201));
  });

  it('a 429 says what the rate-limit headers say (limit, remaining, reset) and how to raise the limit', async () => {
    hub.front.rules.push({
      method: 'GET',
      path: /^\/v2\/acme\/limited\/manifests\//,
      fault: {
        kind: 'status',
        status: 429,
        headers: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600', 'docker-ratelimit-source': '192.0.2.1', 'retry-after': '3600' },
        errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limits' }],
      },
      times: 1,
    });
    const dir = home('hub-limit', { auths: { 'https://index.docker.io/v1/': { auth: basic('hubuser', 'hub-pat-1234') } } });
    const target = openTarget('oci://docker.io/acme', through(hub, dir, { retry: { attempts: 3 } }));
    try {
      const error = await refusal(target.inspectChart('limited', '1.0.0'));
      assert.equal(error.code, 'TOOMANYREQUESTS');
      assert.match(error.message, /You have reached your pull rate limit.* \(rate limit: limit 100 per 6 h, 0 remaining, resets in 1 h\)/);
      assert.match(error.hint ?? '', /Docker Hub limits pulls per 6 hours/);
    } finally {
      await target.close();
    }
  });
});

describe('GHCR (emulated: github-token as the fallback login)', () => {
  let ghcr: NamedRegistry;
  after(() => ghcr?.stop());
  const fallback = { 'ghcr.io': { username: 'octocat', password: 'ghs_workflowtoken123', source: 'the github-token input' } };

  it('with no login configured for ghcr.io, the fallback logs in, and says so once', async () => {
    ghcr = await startNamedRegistry(['ghcr.io'], { auth: 'token', users: { octocat: 'ghs_workflowtoken123' } });
    const notices: string[] = [];
    const refs = await pushAll('oci://ghcr.io/octo-org', through(ghcr, home('ghcr-none'), { fallbackCredentials: fallback, onNotice: (m) => notices.push(m) }), ['g1', 'g2', 'g3']);
    assert.deepEqual(refs, ['ghcr.io/octo-org/g1:1.0.0 pushed', 'ghcr.io/octo-org/g2:1.0.0 pushed', 'ghcr.io/octo-org/g3:1.0.0 pushed']);
    assert.deepEqual(notices, ['ghcr.io: no credentials configured for it, so chartship logs in with the github-token input as "octocat"']);
    assert.ok(ghcr.registry.tokenRequests().every((r) => r.auth === 'basic:octocat'));
  });

  it('a login configured for ghcr.io (docker/login-action) wins, and the fallback stays unused', async () => {
    const dir = home('ghcr-login', { auths: { 'ghcr.io': { auth: basic('octocat', 'ghs_workflowtoken123') } } });
    const notices: string[] = [];
    const wrong = { 'ghcr.io': { ...fallback['ghcr.io'], password: 'not-the-token' } };
    assert.deepEqual(await pushAll('oci://ghcr.io/octo-org', through(ghcr, dir, { fallbackCredentials: wrong, onNotice: (m) => notices.push(m) }), ['g4', 'g5']), [
      'ghcr.io/octo-org/g4:1.0.0 pushed',
      'ghcr.io/octo-org/g5:1.0.0 pushed',
    ]);
    assert.deepEqual(notices, []);
  });
});

describe('Azure Container Registry (emulated /oauth2/exchange)', () => {
  let acr: NamedRegistry;
  after(() => acr?.stop());
  const tenant = '409520d4-8100-4d1d-ad47-72432ddcc120';
  // An Entra ID v1 access token's shape (header.claims.signature); only the registry checks its signature.
  const entraToken = ['{"alg":"RS256","typ":"JWT"}', JSON.stringify({ aud: 'https://containerregistry.azure.net', iss: `https://sts.windows.net/${tenant}/`, tid: tenant, oid: 'x' }), 'sig']
    .map((p) => Buffer.from(p).toString('base64url'))
    .join('.');

  it('an Entra ID access token with the null-GUID user is exchanged once for an ACR refresh token, which buys the access tokens', async () => {
    acr = await startNamedRegistry(['chartshiptest.azurecr.io'], {
      auth: 'token',
      tokenPath: '/oauth2/token',
      tokenRoute: '/oauth2/',
      users: { chartshiptest: 'admin-password-1234' },
      token: { entraTokens: { [entraToken]: 'ci@contoso.example' } },
    });
    const secrets: string[] = [];
    const login = { username: '00000000-0000-0000-0000-000000000000', password: entraToken, onSecret: (s: string) => secrets.push(s) };
    const refs = await pushAll('oci://chartshiptest.azurecr.io/helm', through(acr, home('acr'), login), ['a1', 'a2', 'a3']);
    assert.deepEqual(refs, ['chartshiptest.azurecr.io/helm/a1:1.0.0 pushed', 'chartshiptest.azurecr.io/helm/a2:1.0.0 pushed', 'chartshiptest.azurecr.io/helm/a3:1.0.0 pushed']);
    const requests = acr.registry.tokenRequests();
    const exchanges = requests.filter((r) => r.path === '/oauth2/exchange');
    assert.deepEqual(exchanges.map((r) => [r.grantType, r.service, r.tenant, r.auth, r.status]), [['access_token', 'chartship-test-registry', tenant, 'entra:ci@contoso.example', 200]]);
    const rest = requests.filter((r) => r.path !== '/oauth2/exchange');
    assert.ok(rest.length > 0 && rest.every((r) => r.method === 'POST' && r.grantType === 'refresh_token' && r.auth === 'refresh:ci@contoso.example'), JSON.stringify(rest));
    assert.ok(secrets.some((s) => s.startsWith('acr-refresh-')), 'the exchanged refresh token is masked');
  });

  it('the admin user logs in with Basic at the token endpoint', async () => {
    const before = acr.registry.tokenRequests().length;
    const refs = await pushAll('oci://chartshiptest.azurecr.io/helm', through(acr, home('acr-admin'), { username: 'chartshiptest', password: 'admin-password-1234' }), ['b1', 'b2']);
    assert.deepEqual(refs, ['chartshiptest.azurecr.io/helm/b1:1.0.0 pushed', 'chartshiptest.azurecr.io/helm/b2:1.0.0 pushed']);
    assert.ok(acr.registry.tokenRequests().slice(before).every((r) => r.method === 'GET' && r.auth === 'basic:chartshiptest'));
  });

  it('an Entra ID token ACR refuses: the refusal names the exchange and what token ACR wants', async () => {
    const stale = entraToken.replace(/\.sig$/, '.') + Buffer.from('other').toString('base64url');
    const error = await refusal(pushAll('oci://chartshiptest.azurecr.io/helm', through(acr, home('acr-bad'), { username: '00000000-0000-0000-0000-000000000000', password: stale }), ['c1']));
    assert.match(error.message, /ACR refused to exchange the Entra ID access token from the username and password given to chartship/);
    assert.match(error.hint ?? '', /containerregistry\.azure\.net.*AcrPush/);
    assert.doesNotMatch(error.describe(), new RegExp(stale.slice(0, 20)));
  });
});

describe('Quay (emulated: no push without the organisation)', () => {
  let quay: NamedRegistry;
  after(() => quay?.stop());

  it('a robot account (org+name) pushes into its organisation; a missing organisation is refused with the hint', async () => {
    quay = await startNamedRegistry(['quay.io'], {
      auth: 'token',
      tokenPath: '/v2/auth',
      users: { 'acme+ci': 'robot-token-1234' },
      // quay/quay endpoints/v2/v2auth.py: no namespace, no push (CREATE_NAMESPACE_ON_PUSH is off on quay.io).
      token: { grant: (_user, repository, actions) => (repository.split('/')[0] === 'acme' ? actions : []) },
    });
    const robot = { username: 'acme+ci', password: 'robot-token-1234' };
    assert.deepEqual(await pushAll('oci://quay.io/acme', through(quay, home('quay'), robot), ['q1', 'q2', 'q3']), [
      'quay.io/acme/q1:1.0.0 pushed',
      'quay.io/acme/q2:1.0.0 pushed',
      'quay.io/acme/q3:1.0.0 pushed',
    ]);
    const error = await refusal(pushAll('oci://quay.io/nosuchorg', through(quay, home('quay'), robot), ['q4']));
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /refused the token issued for the credentials of user "acme\+ci"/);
    assert.match(error.hint ?? '', /Quay: the organisation \(the first path component\) must exist.*org\+name/);
  });
});

describe('Harbor (emulated refusals for a missing project)', () => {
  it('a missing project is refused with "create the project first", by either of Harbor\'s answers', async () => {
    const registry = await startRegistry({ auth: 'token', token: { grant: (_u, repository, actions) => (repository.startsWith('ghost/') ? actions.filter((a) => a === 'pull') : actions) } });
    const front = await startFlakyProxy(registry.url);
    try {
      const login = { plainHttp: true, username: registry.username, password: registry.password, env: { HOME: home('harbor') }, retry: { attempts: 1 } };
      assert.deepEqual(await pushAll(`oci://${front.host}/library`, login, ['h1', 'h2']), [`${front.host}/library/h1:1.0.0 pushed`, `${front.host}/library/h2:1.0.0 pushed`]);
      // Harbor 2.x refuses the push itself in words (goharbor/harbor#13553).
      const said = 'unauthorized to access repository: ghost/h3, action: push: unauthorized to access repository: ghost/h3, action: push';
      front.rules.push({
        method: 'POST',
        path: /^\/v2\/ghost\/h3\/blobs\/uploads\//,
        fault: { kind: 'status', status: 401, headers: { 'www-authenticate': `Bearer realm="${registry.realm}",service="chartship-test-registry",scope="repository:ghost/h3:pull,push",error="insufficient_scope"` }, errors: [{ code: 'UNAUTHORIZED', message: said }] },
        times: Number.POSITIVE_INFINITY,
      });
      const unauthorized = await refusal(pushAll(`oci://${front.host}/ghost`, login, ['h3']));
      assert.match(unauthorized.message, /the registry said: unauthorized to access repository: ghost\/h3, action: push/);
      assert.match(unauthorized.hint ?? '', /Harbor: the project \(the first path component\) must exist/);
      // …and its project controller's "project … not found" (goharbor/harbor src/controller/project/controller.go).
      front.rules.push({ method: 'POST', path: /^\/v2\/phantom\//, fault: { kind: 'status', status: 404, errors: [{ code: 'NOT_FOUND', message: 'project phantom not found' }] }, times: Number.POSITIVE_INFINITY });
      const missing = await refusal(pushAll(`oci://${front.host}/phantom`, login, ['h4']));
      assert.match(missing.message, /404 NOT_FOUND: project phantom not found/);
      assert.match(missing.hint ?? '', /create the project in Harbor first/);
    } finally {
      await front.stop();
      await registry.stop();
    }
  });
});

describe('Google Artifact Registry (emulated logins and missing repository)', () => {
  let gar: NamedRegistry;
  after(() => gar?.stop());
  const key = JSON.stringify(
    { type: 'service_account', project_id: 'my-project', private_key_id: 'abc123', private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n', client_email: 'ci@my-project.iam.gserviceaccount.com' },
    null,
    2,
  );

  it('oauth2accesstoken, _json_key (a multi-line key as the password) and _json_key_base64 all log in; the key is masked', async () => {
    gar = await startNamedRegistry(['europe-docker.pkg.dev'], {
      auth: 'token',
      tokenPath: '/v2/token',
      users: { oauth2accesstoken: 'ya29.a0-access-token', _json_key: key, _json_key_base64: Buffer.from(key).toString('base64') },
    });
    const logins = [['oauth2accesstoken', 'ya29.a0-access-token'], ['_json_key', key], ['_json_key_base64', Buffer.from(key).toString('base64')]] as const;
    for (const [i, [username, password]] of logins.entries()) {
      const secrets: string[] = [];
      const refs = await pushAll('oci://europe-docker.pkg.dev/my-project/charts', through(gar, home(`gar-${i}`), { username, password, onSecret: (s) => secrets.push(s) }), [`k${i}-a`, `k${i}-b`]);
      assert.deepEqual(refs, [`europe-docker.pkg.dev/my-project/charts/k${i}-a:1.0.0 pushed`, `europe-docker.pkg.dev/my-project/charts/k${i}-b:1.0.0 pushed`]);
      assert.ok(secrets.includes(password) && secrets.includes(basic(username, password)), username);
    }
  });

  it('a repository that does not exist is refused with how to create it', async () => {
    gar.front.rules.push({ method: 'POST', path: /^\/v2\/my-project\/nope\//, fault: { kind: 'status', status: 404, errors: [{ code: 'NAME_UNKNOWN', message: 'Repository "nope" not found' }] }, times: Number.POSITIVE_INFINITY });
    const error = await refusal(pushAll('oci://europe-docker.pkg.dev/my-project/nope', through(gar, home('gar-nope'), { username: 'oauth2accesstoken', password: 'ya29.a0-access-token' }), ['k9']));
    assert.equal(error.code, 'NAME_UNKNOWN');
    assert.match(error.hint ?? '', /gcloud artifacts repositories create/);
  });
});

describe('Alibaba Cloud ACR (namespace/repository mapping)', () => {
  const host = 'chartship-registry.cn-hangzhou.cr.aliyuncs.com';

  it('oci://DOMAIN/NAMESPACE puts each chart at NAMESPACE/CHART; deeper or no namespace is refused before any request', async () => {
    const aliyun = await startNamedRegistry([host], { auth: 'htpasswd', users: { 'ci@1234567890': 'aliyun-pw-1234' } });
    try {
      const login = { username: 'ci@1234567890', password: 'aliyun-pw-1234' };
      assert.deepEqual(await pushAll(`oci://${host}/team`, through(aliyun, home('aliyun'), login), ['y1', 'y2']), [`${host}/team/y1:1.0.0 pushed`, `${host}/team/y2:1.0.0 pushed`]);
      const before = (await aliyun.registry.settle()).length;
      for (const spec of [`oci://${host}/team/sub`, `oci://${host}`]) {
        const error = await refusal(Promise.resolve().then(() => openTarget(spec, through(aliyun, home('aliyun'), login))));
        assert.equal(error.code, 'TARGET_INVALID');
        assert.match(error.describe(), /Alibaba Cloud ACR keeps charts as NAMESPACE\/CHART.*write the namespace alone/);
      }
      assert.equal((await aliyun.registry.settle()).length, before, 'nothing was asked of the registry');
    } finally {
      await aliyun.stop();
    }
  });
});
