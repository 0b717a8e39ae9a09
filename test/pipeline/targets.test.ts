import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { openTargets } from '../../src/pipeline/targets.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

let first: TestRegistry;
let second: TestRegistry;
const home = mkdtempSync(join(tmpdir(), 'chartship-targets-'));

before(async () => {
  [first, second] = await Promise.all([startRegistry({ auth: 'htpasswd' }), startRegistry({ auth: 'htpasswd' })]);
});
after(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  rmSync(home, { recursive: true, force: true });
});

it('explicit credentials go to the first registry host only; the others log in from credential files', async () => {
  assert.notEqual(first.password, second.password);
  // The second registry's login, as docker/login-action would leave it.
  mkdirSync(join(home, '.docker'), { recursive: true });
  const auth = Buffer.from(`${second.username}:${second.password}`).toString('base64');
  writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [second.host]: { auth } } }));

  const specs = [`oci://${first.host}/a`, `oci://${first.host}/b`, `oci://${second.host}/c`];
  const targets = openTargets(specs, { plainHttp: true, username: first.username, password: first.password, env: { HOME: home } });
  try {
    const archive = chartArchive({ name: 'both', version: '1.0.0' });
    const results = await Promise.all(targets.map((t) => t.pushChart({ archive })));
    assert.deepEqual(results.map((r) => r.status), ['pushed', 'pushed', 'pushed']);
  } finally {
    await Promise.all(targets.map((t) => t.close()));
  }
});

it('per-host logins and TLS settings (registry-auth, registry-tls): each registry gets its own, pushes at once', async () => {
  const tls = await startRegistry({ auth: 'htpasswd', tls: true });
  try {
    const empty = mkdtempSync(join(tmpdir(), 'chartship-targets-empty-'));
    const specs = [`oci://${first.host}/a`, `oci://${second.host}/b`, `oci://${tls.host}/c`];
    const hosts = {
      [first.host]: { plainHttp: true, username: first.username, password: first.password },
      [second.host]: { plainHttp: true, username: second.username, password: second.password },
      [tls.host]: { caFile: tls.caFile, username: tls.username, password: tls.password },
    };
    const targets = openTargets(specs, { hosts, env: { HOME: empty } });
    try {
      const pushes = targets.flatMap((t) => ['p1', 'p2', 'p3'].map((name) => t.pushChart({ archive: chartArchive({ name, version: '1.0.0' }) })));
      const results = await Promise.all(pushes);
      assert.deepEqual(results.map((r) => r.status), Array(9).fill('pushed'));
    } finally {
      await Promise.all(targets.map((t) => t.close()));
      rmSync(empty, { recursive: true, force: true });
    }
    // The explicit login is the first host's; the second host has its own, and no credential file to fall back on.
    const nowhere = mkdtempSync(join(tmpdir(), 'chartship-targets-empty-'));
    const mixed = openTargets(specs.slice(0, 2), { plainHttp: true, username: first.username, password: first.password, hosts: { [second.host]: { username: second.username, password: second.password } }, env: { HOME: nowhere } });
    try {
      const results = await Promise.all(mixed.map((t) => t.pushChart({ archive: chartArchive({ name: 'mixed', version: '1.0.0' }) })));
      assert.deepEqual(results.map((r) => r.status), ['pushed', 'pushed']);
    } finally {
      await Promise.all(mixed.map((t) => t.close()));
      rmSync(nowhere, { recursive: true, force: true });
    }
  } finally {
    await tls.stop();
  }
});
