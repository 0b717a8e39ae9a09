import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { type TargetOptions } from '../../src/oci/index.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { runBundledCli } from '../helpers/cli.js';
import { startFlakyProxy } from '../helpers/flaky-proxy.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { freePort, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { skopeoRaw } from './skopeo.js';

let registry: TestRegistry;
before(async () => {
  registry = await startRegistry({ auth: 'htpasswd', tls: true });
});
after(() => registry?.stop());

async function push(options: TargetOptions, name: string) {
  const target = openTarget(`oci://${registry.host}/secure`, { username: registry.username, password: registry.password, env: {}, ...options });
  try {
    return await target.pushChart({ archive: chartArchive({ name, version: '1.0.0' }) });
  } finally {
    await target.close();
  }
}

test('HTTPS with the registry CA: push, then skopeo verifies TLS with the same CA', async () => {
  const result = await push({ caFile: registry.caFile }, 'tls-ok');
  const raw = await skopeoRaw(`docker://${result.ref}`, ['--cert-dir', registry.certDir!, '--creds', `${registry.username}:${registry.password}`]);
  assert.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`, result.digest);
});

test('without the CA the certificate is refused at once, with a hint', async () => {
  const started = Date.now();
  await assert.rejects(push({}, 'tls-no-ca'), (error: unknown) => {
    assert.ok(error instanceof ChartshipError);
    assert.equal(error.code, 'TLS_VERIFY');
    assert.match(error.describe(), /--ca-file/);
    return true;
  });
  assert.ok(Date.now() - started < 3000, 'certificate errors are not retried');
  assert.equal(process.env['NODE_TLS_REJECT_UNAUTHORIZED'], undefined);
});

test('--insecure-skip-tls-verify pushes without the CA; a missing CA file is a clear error', async () => {
  assert.equal((await push({ insecureSkipTlsVerify: true }, 'tls-insecure')).status, 'pushed');
  assert.throws(() => openTarget(`oci://${registry.host}/x`, { caFile: '/nonexistent/ca.pem' }), /cannot read CA file/);
});

test('a TLS registry whose token realm is plain http never gets the password sent there', async () => {
  const downgraded = await startRegistry({ auth: 'token', tls: true });
  try {
    assert.match(downgraded.realm ?? '', /^http:\/\//);
    const target = openTarget(`oci://${downgraded.host}/secure`, { caFile: downgraded.caFile, username: downgraded.username, password: downgraded.password, env: {} });
    try {
      await assert.rejects(target.pushChart({ archive: chartArchive({ name: 'realm', version: '1.0.0' }) }), ChartshipError);
    } finally {
      await target.close();
    }
    const asked = downgraded.tokenRequests();
    assert.ok(asked.length > 0, 'the token server was asked');
    assert.ok(asked.every((r) => !r.auth.startsWith('basic')), `no Basic credentials over http: ${JSON.stringify(asked.map((r) => r.auth))}`);
  } finally {
    await downgraded.stop();
  }
});

test('a registry that asks for a client certificate: pushed with --cert-file and --key-file, refused without, and a key that is none named', async () => {
  const mutual = await startRegistry({ tls: true, clientCertificates: true });
  try {
    const open = (options: TargetOptions) => openTarget(`oci://${mutual.host}/mutual`, { env: {}, caFile: mutual.caFile, ...options });
    // Several charts at once: every connection of the run presents the certificate.
    const target = open({ certFile: mutual.clientCertFile, keyFile: mutual.clientKeyFile });
    try {
      const pushed = await Promise.all(['a', 'b', 'c', 'd'].map((name) => target.pushChart({ archive: chartArchive({ name: `mutual-${name}`, version: '1.0.0' }) })));
      assert.deepEqual(pushed.map((p) => p.status), ['pushed', 'pushed', 'pushed', 'pushed']);
    } finally {
      await target.close();
    }
    const anonymous = open({});
    try {
      await assert.rejects(anonymous.pushChart({ archive: chartArchive({ name: 'mutual-none', version: '1.0.0' }) }), ChartshipError);
    } finally {
      await anonymous.close();
    }
    // The certificate given as the key: the files are named, before any connection.
    assert.throws(
      () => open({ certFile: mutual.clientCertFile, keyFile: mutual.clientCertFile }),
      (error: unknown) => error instanceof ChartshipError && error.code === 'TLS_CONFIG' && error.describe().includes(mutual.clientCertFile!),
    );
  } finally {
    await mutual.stop();
  }
});

test('a token service on another port over HTTPS, signed by the registry\'s CA, is trusted with --ca-file (and --insecure-skip-tls-verify), as helm does', async () => {
  // docker_auth beside a registry, or a self-hosted GitLab's /jwt/auth for its registry: one private CA for both.
  const port = await freePort();
  const secured = await startRegistry({ auth: 'token', tls: true, token: { realm: `https://127.0.0.1:${port}/token` } });
  const tokens = await startFlakyProxy(new URL(secured.realm!).origin, { tls: { certFile: secured.certFile!, keyFile: secured.keyFile! }, port });
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-tls-realm-'));
  try {
    const push = async (name: string, flags: string[]) => {
      const file = join(scratch, `${name}-1.0.0.tgz`);
      writeFileSync(file, chartArchive({ name, version: '1.0.0' }));
      return runBundledCli(['push', file, `oci://${secured.host}/private`, '--username', secured.username!, '--password-stdin', ...flags], {
        cwd: scratch,
        env: { HOME: scratch },
        stdin: secured.password,
      });
    };
    const trusted = await push('realm-ca', ['--ca-file', secured.caFile!]);
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, new RegExp(`Pushed: ${secured.host}/private/realm-ca:1\\.0\\.0`));
    const unverified = await push('realm-insecure', ['--insecure-skip-tls-verify']);
    assert.equal(unverified.code, 0, unverified.stderr);
    assert.ok(tokens.log.length > 0, 'the tokens came over the TLS front');
    assert.ok(secured.tokenRequests().some((r) => r.auth === `basic:${secured.username}`), 'the login reached the token service');
    assert.doesNotMatch(trusted.stdout + trusted.stderr + unverified.stdout + unverified.stderr, new RegExp(secured.password!));
  } finally {
    await tokens.stop();
    await secured.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
