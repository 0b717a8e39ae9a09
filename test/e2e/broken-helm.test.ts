import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo } from '../helpers/git.js';

// The policy looks for helm while the run plans (`helm version` is a Go program's start, and not worth waiting for
// first). A helm on PATH that does not run must still fail the run before anything is pushed, and a run that fails
// before the policy starts must fail with its own error, not with helm's rejection left unhandled.
describe('a helm on PATH that does not run', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-broken-helm-'));
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  // What a half-installed or wrong-architecture helm does: it is found, and exits with an error.
  writeFileSync(join(bin, 'helm'), '#!/bin/sh\necho "helm: cannot execute binary file: Exec format error" >&2\nexit 126\n');
  chmodSync(join(bin, 'helm'), 0o755);
  const env = { PATH: `${bin}:${process.env['PATH']}` };
  const repo = createRepo('chartship-broken-helm-repo-');
  const base = repo.commit('feat: web', chartFiles('charts/web', 'web', '1.0.0'));
  repo.commit('fix: web', { 'charts/web/values.yaml': 'replicas: 2\n' });
  after(() => {
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('fails the publish, saying so, with nothing pushed', async () => {
    const layout = join(scratch, 'layout');
    const run = await runBundledCli(['publish', '--base', base, '--charts', 'charts/*', '--registry', `oci-layout:${layout}`], { cwd: repo.dir, env });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /helm is on PATH but `helm version` fails: .*Exec format error/);
    assert.equal(existsSync(join(layout, 'index.json')), false, 'nothing is pushed');
    assert.equal(repo.git('status', '--porcelain'), '', 'the bump is put back');
  });

  it('a run that fails before the policy starts says its own error', async () => {
    const run = await runBundledCli(['publish', '--base', 'no-such-commit', '--charts', 'charts/*', '--registry', `oci-layout:${join(scratch, 'other')}`], { cwd: repo.dir, env });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /no-such-commit/);
    assert.doesNotMatch(run.stderr, /helm version|Unhandled|unhandled|at .*\.js:\d+/);
  });
});
