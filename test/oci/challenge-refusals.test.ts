/**
 * A 401 whose challenge says nothing usable (no WWW-Authenticate at all, as behind a gateway that drops it, or a
 * Bearer challenge without its realm) is told as what it is, not as a scheme chartship lacks. Through the bundled
 * CLI, against a real registry behind a proxy that rewrites its answers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { startFlakyProxy, type Fault, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-challenges-'));
let registry: TestRegistry;
let proxy: FlakyProxy;

before(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
  proxy = await startFlakyProxy(registry.url);
  writeFileSync(join(scratch, 'app-1.0.0.tgz'), chartArchive({ name: 'app', version: '1.0.0' }));
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => {
  proxy.rules.length = 0;
});

async function pushAnswered(fault: Fault): Promise<{ code: number; first: string; stderr: string }> {
  for (const method of ['GET', 'HEAD', 'POST', 'PUT']) proxy.rules.push({ method, path: /^\/v2\//, fault, times: 100 });
  const run = await runBundledCli(['push', 'app-1.0.0.tgz', `oci://${proxy.host}/refused`, '--plain-http'], {
    cwd: scratch,
    env: { HOME: scratch, CHARTSHIP_USERNAME: registry.username, CHARTSHIP_PASSWORD: registry.password },
  });
  return { ...run, first: run.stderr.split('\n')[0] ?? '' };
}

it('a 401 without WWW-Authenticate: says the challenge is missing and where to look, not that a scheme is unknown', async () => {
  const run = await pushAnswered({ kind: 'status', status: 401 });
  assert.equal(run.code, 1);
  assert.match(run.first, /failed with HTTP 401 UNAUTHORIZED: the registry answered 401 without a WWW-Authenticate challenge, so nothing tells how to log in with the credentials of user "chartship"/);
  assert.match(run.stderr, new RegExp(`check that ${proxy.host.replaceAll('.', '\\.')} is the registry's API itself and not a web page or gateway in front of it`));
  assert.doesNotMatch(run.stderr, /scheme chartship does not speak/);
  assert.doesNotMatch(run.stderr, new RegExp(registry.password!));
});

it('a Bearer challenge without a realm: says the token realm is missing, the registry is misconfigured', async () => {
  const run = await pushAnswered({ kind: 'status', status: 401, headers: { 'www-authenticate': 'Bearer service="registry"' } });
  assert.equal(run.code, 1);
  assert.match(run.first, /failed with HTTP 401 UNAUTHORIZED: the registry's challenge asks for a token but names no realm to get one from/);
  assert.match(run.stderr, /token authentication is misconfigured \(its auth\.token\.realm\): report it to its operators/);
  assert.doesNotMatch(run.stderr, /scheme chartship does not speak/);
});
