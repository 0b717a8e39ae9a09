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
