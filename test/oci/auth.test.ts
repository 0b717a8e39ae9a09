import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { type TargetOptions } from '../../src/oci/index.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { RegistryError } from '../../src/oci/errors.js';
import { startFlakyProxy } from '../helpers/flaky-proxy.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { freePort, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { skopeoRaw } from './skopeo.js';

const temp = mkdtempSync(join(tmpdir(), 'chartship-auth-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** An empty home, so the tester's own docker/helm logins never leak into a test. */
function home(name: string, files: Record<string, unknown> = {}): NodeJS.ProcessEnv {
  const dir = join(temp, name);
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    rmSync(file, { force: true });
    writeFileSync(file, JSON.stringify(content), { flag: 'w' });
  }
  return { HOME: dir, PATH: process.env['PATH'] };
}

/** A `docker-credential-<name>` script that records its argv and stdin and answers with `answer`. */
function credentialHelper(name: string, answer: { Username: string; Secret: string } | 'not-found'): { env: NodeJS.ProcessEnv; seen: () => string } {
  const bin = join(temp, `bin-${name}`);
  const record = join(bin, 'seen');
  rmSync(bin, { recursive: true, force: true });
  mkdirp(bin);
  const body = answer === 'not-found'
    ? 'echo "credentials not found in native keychain"; exit 1'
    : `printf '%s' '${JSON.stringify({ ServerURL: '', ...answer })}'`;
  writeFileSync(join(bin, `docker-credential-${name}`), `#!/bin/sh\nprintf '%s|' "$*" > '${record}'\ncat >> '${record}'\n${body}\n`);
  chmodSync(join(bin, `docker-credential-${name}`), 0o755);
  return { env: { PATH: `${bin}:${process.env['PATH']}` }, seen: () => readFileSync(record, 'utf8') };
}

function mkdirp(dir: string) {
  mkdirSync(dir, { recursive: true });
}

async function push(registry: TestRegistry, options: TargetOptions, name: string, version = '1.0.0') {
  const target = openTarget(`oci://${registry.host}/auth`, { plainHttp: true, env: home('empty'), ...options });
  try {
    const result = await target.pushChart({ archive: chartArchive({ name, version }) });
    return { result, stats: target.stats() };
  } finally {
    await target.close();
  }
}

async function refusal(promise: Promise<unknown>, code: string): Promise<ChartshipError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ChartshipError, String(error));
    assert.equal(error.code, code, error.describe());
    return error;
  }
  assert.fail('expected a refusal');
}

describe('htpasswd (Basic) registry', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'htpasswd' });
    mkdirp(join(temp, 'empty'));
  });
  after(() => registry?.stop());

  test('explicit credentials push; skopeo reads the same digest back', async () => {
    const { result } = await push(registry, { username: registry.username, password: registry.password }, 'basic-explicit');
    const raw = await skopeoRaw(`docker://${result.ref}`, ['--tls-verify=false', '--creds', `${registry.username}:${registry.password}`]);
    assert.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`, result.digest);
  });

  test('no or wrong credentials: UNAUTHORIZED with a hint, no secret in the message', async () => {
    const none = await refusal(push(registry, {}, 'basic-none'), 'UNAUTHORIZED');
    assert.ok(none instanceof RegistryError);
    assert.equal(none.status, 401);
    assert.match(none.describe(), /log in|--username/);
    const wrong = await refusal(push(registry, { username: registry.username, password: 'wrong-secret-123' }, 'basic-wrong'), 'UNAUTHORIZED');
    assert.doesNotMatch(wrong.describe(), /wrong-secret-123/);
  });

  test('no credentials and refused credentials say different things, each pointing at its fix', async () => {
    const none = await refusal(push(registry, {}, 'basic-none2'), 'UNAUTHORIZED');
    assert.match(none.message, new RegExp(`asks for credentials and none were found for ${registry.host}`));
    assert.match(none.hint ?? '', new RegExp(`helm registry login ${registry.host}`));

    const wrong = await refusal(push(registry, { username: registry.username, password: 'wrong-secret-456' }, 'basic-wrong2'), 'UNAUTHORIZED');
    assert.match(wrong.message, /the registry refused the credentials of user "chartship" from the username and password given to chartship/);
    assert.match(wrong.hint ?? '', /wrong or has expired/);
    assert.doesNotMatch(wrong.describe(), /none were found|wrong-secret-456/);

    // From a config file, the refusal names the file the credentials came from.
    mkdirp(join(temp, 'stale-home', '.docker'));
    const stale = Buffer.from(`${registry.username}:stale-secret-789`).toString('base64');
    const env = home('stale-home', { '.docker/config.json': { auths: { [registry.host]: { auth: stale } } } });
    const fromFile = await refusal(push(registry, { env }, 'basic-stale'), 'UNAUTHORIZED');
    assert.match(fromFile.message, new RegExp(`from ${join(temp, 'stale-home', '.docker', 'config.json').replace(/[.]/g, '\\.')}`));
    assert.doesNotMatch(fromFile.describe(), /stale-secret-789/);
  });

  test('credentials from docker config.json (auths) and helm registry config (URL-style key)', async () => {
    mkdirp(join(temp, 'docker-home', '.docker'));
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    const env = home('docker-home', { '.docker/config.json': { auths: { [registry.host]: { auth } } } });
    assert.equal((await push(registry, { env }, 'from-docker')).result.status, 'pushed');

    const helmConfig = join(temp, 'helm-config.json');
    writeFileSync(helmConfig, JSON.stringify({ auths: { [`http://${registry.host}/v1/`]: { auth } } }));
    assert.equal((await push(registry, { env: { ...home('empty'), HELM_REGISTRY_CONFIG: helmConfig } }, 'from-helm')).result.status, 'pushed');
    assert.equal((await push(registry, { registryConfig: helmConfig }, 'from-flag')).result.status, 'pushed');
    await refusal(push(registry, { registryConfig: join(temp, 'missing.json') }, 'from-missing'), 'REGISTRY_CONFIG');
  });

  test('credentials from a credential helper (credsStore and credHelpers), run without a shell', async () => {
    const helper = credentialHelper('chartshiptest', { Username: registry.username!, Secret: registry.password! });
    mkdirp(join(temp, 'helper-home', '.docker'));
    const env = { ...home('helper-home', { '.docker/config.json': { credsStore: 'chartshiptest', auths: { [registry.host]: {} } } }), ...helper.env };
    assert.equal((await push(registry, { env }, 'from-store')).result.status, 'pushed');
    assert.equal(helper.seen(), `get|${registry.host}`, 'argv is `get`, the server URL comes on stdin');

    const other = credentialHelper('other', 'not-found');
    mkdirp(join(temp, 'helper-home2', '.docker'));
    const env2 = {
      ...home('helper-home2', { '.docker/config.json': { credsStore: 'other', credHelpers: { [registry.host]: 'chartshiptest' } } }),
      PATH: `${helper.env['PATH']}:${other.env['PATH']}`,
    };
    assert.equal((await push(registry, { env: env2 }, 'from-helpers')).result.status, 'pushed', 'credHelpers[host] wins over credsStore');
  });
});

describe('token (Bearer) registry', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'token', token: { refreshTokens: { 'refresh-abc': 'chartship' } } });
    mkdirp(join(temp, 'empty'));
  });
  after(() => registry?.stop());

  test('basic credentials to the realm; pull,push asked up front; one token per push; cached for the next', async () => {
    const target = openTarget(`oci://${registry.host}/auth`, { plainHttp: true, env: home('empty'), username: registry.username, password: registry.password });
    try {
      const archive = chartArchive({ name: 'tok', version: '1.0.0' });
      const first = await target.pushChart({ archive });
      assert.equal(first.status, 'pushed');
      const tokens = registry.tokenRequests();
      assert.equal(tokens.length, 1);
      assert.equal(tokens[0]?.method, 'GET');
      assert.equal(tokens[0]?.auth, `basic:${registry.username}`);
      assert.deepEqual(tokens[0]?.scopes, ['repository:auth/tok:pull,push']);
      assert.equal(tokens[0]?.service, 'chartship-test-registry');
      assert.deepEqual(target.stats(), { requests: 10, tokenFetches: 1, bytesUploaded: target.stats().bytesUploaded }, '401 + token + 8');

      const again = await target.pushChart({ archive });
      assert.equal(again.status, 'unchanged');
      assert.equal(target.stats().requests, 11, 'one request with the cached token');
      assert.equal(target.stats().tokenFetches, 1);
      const raw = await skopeoRaw(`docker://${first.ref}`, ['--tls-verify=false', '--creds', `${registry.username}:${registry.password}`]);
      assert.match(raw.toString(), /helm\.config\.v1/);
    } finally {
      await target.close();
    }
  });

  test('a refresh token from a credential helper uses the OAuth2 POST', async () => {
    const helper = credentialHelper('refresher', { Username: '<token>', Secret: 'refresh-abc' });
    mkdirp(join(temp, 'refresh-home', '.docker'));
    const env = { ...home('refresh-home', { '.docker/config.json': { credHelpers: { [registry.host]: 'refresher' } } }), ...helper.env };
    const before = registry.tokenRequests().length;
    assert.equal((await push(registry, { env }, 'refreshed')).result.status, 'pushed');
    const posts = registry.tokenRequests().slice(before);
    assert.equal(posts.length, 1);
    assert.deepEqual(
      { method: posts[0]?.method, grant: posts[0]?.grantType, client: posts[0]?.clientId, service: posts[0]?.service, scopes: posts[0]?.scopes },
      { method: 'POST', grant: 'refresh_token', client: 'chartship', service: 'chartship-test-registry', scopes: ['repository:auth/refreshed:pull,push'] },
    );
  });

  test('identitytoken in config.json is a refresh token too; a bad one is refused without leaking it', async () => {
    mkdirp(join(temp, 'identity-home', '.docker'));
    const env = home('identity-home', { '.docker/config.json': { auths: { [registry.host]: { identitytoken: 'refresh-abc' } } } });
    assert.equal((await push(registry, { env }, 'identity')).result.status, 'pushed');
    const bad = await refusal(push(registry, { username: '<token>', password: 'bogus-refresh-987' }, 'identity-bad'), 'UNAUTHORIZED');
    assert.doesNotMatch(bad.describe(), /bogus-refresh-987/);
  });

  test('anonymous: the registry refuses, the error says to log in', async () => {
    const error = await refusal(push(registry, {}, 'anon'), 'UNAUTHORIZED');
    assert.match(error.describe(), /log in/);
    assert.match(error.message, new RegExp(`none were found for ${registry.host}`));
  });

  test('a wrong password is refused by the token server, and says so rather than "log in"', async () => {
    const error = await refusal(push(registry, { username: registry.username, password: 'not-the-password' }, 'tok-wrong'), 'UNAUTHORIZED');
    assert.match(error.message, /the token server refused the credentials of user "chartship"/);
    assert.doesNotMatch(error.describe(), /none were found|not-the-password/);
  });
});

describe('a token server that refuses says why', () => {
  test('its own words (GitLab: a password where 2FA wants a personal access token) reach the user, the password never', async () => {
    const port = await freePort();
    const registry = await startRegistry({ auth: 'token', token: { realm: `http://127.0.0.1:${port}/jwt/auth` } });
    const realm = await startFlakyProxy(new URL(registry.realm!).origin, { port });
    // As gitlab.com's /jwt/auth answers a password of an account with two-factor authentication.
    const said = 'HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or you\'re required to use a token instead of a password.';
    realm.rules.push({ method: 'GET', path: /^\/jwt\/auth/, fault: { kind: 'status', status: 401, errors: [{ code: 'UNAUTHORIZED', message: said }] }, times: 10 });
    try {
      const error = await refusal(push(registry, { username: 'deployer', password: 'hunter2-gitlab', retry: { attempts: 1 } }, 'twofactor'), 'UNAUTHORIZED');
      assert.match(error.message, /the token server refused the credentials of user "deployer"/);
      assert.ok(error.message.includes(`(the token server said: ${said})`), error.message);
      assert.doesNotMatch(error.describe(), /hunter2-gitlab/);
    } finally {
      await realm.stop();
      await registry.stop();
    }
  });
});

describe('secrets the client comes to hold are revealed for masking', () => {
  test('a password from a credential helper, its Basic form, the refresh token and every bearer token', async () => {
    const registry = await startRegistry({ auth: 'token', token: { refreshTokens: { 'refresh-xyz': 'chartship' } } });
    try {
      const helper = credentialHelper('masker', { Username: '<token>', Secret: 'refresh-xyz' });
      mkdirp(join(temp, 'masking', '.docker'));
      const env = { ...home('masking', { '.docker/config.json': { credHelpers: { [registry.host]: 'masker' } } }), ...helper.env };
      const secrets: string[] = [];
      const { result } = await push(registry, { env, onSecret: (s) => secrets.push(s) }, 'masked');
      assert.equal(result.status, 'pushed');
      assert.ok(secrets.includes('refresh-xyz'), 'the refresh token from the helper');
      const bearer = secrets.filter((s) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s));
      assert.ok(bearer.length >= 1, `a JWT among ${secrets.length} secrets`);
    } finally {
      await registry.stop();
    }
  });

  test('explicit Basic credentials: the password and the base64 header value', async () => {
    const registry = await startRegistry({ auth: 'htpasswd' });
    try {
      const secrets: string[] = [];
      await push(registry, { username: registry.username, password: registry.password, onSecret: (s) => secrets.push(s) }, 'basicmask');
      assert.ok(secrets.includes(registry.password!));
      assert.ok(secrets.includes(Buffer.from(`${registry.username}:${registry.password}`).toString('base64')));
    } finally {
      await registry.stop();
    }
  });
});

describe('token registry without the OAuth2 POST endpoint', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'token', token: { oauthPost: false, refreshTokens: { 'refresh-xyz': 'chartship' } } });
  });
  after(() => registry?.stop());

  test('POST 404 falls back to GET with the refresh token', async () => {
    assert.equal((await push(registry, { username: '<token>', password: 'refresh-xyz' }, 'fallback')).result.status, 'pushed');
    assert.deepEqual(registry.tokenRequests().map((r) => `${r.method} ${r.status}`), ['POST 404', 'GET 200']);
  });
});
