import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bundleDir } from '../helpers/bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'chartship-entry-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The bundled CLI started as `command args…`, with nothing of the tester's environment but PATH. */
function started(command: string, args: string[]) {
  const run = spawnSync(command, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] }, timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

// However it is started, the CLI runs: a CI job whose chartship did nothing and exited 0 would pass green.
describe('the bundled CLI, started other ways than node dist/cli.js', () => {
  it('runs through a symlink of another name (a versioned command on PATH)', () => {
    const link = join(dir, 'chartship-v1');
    symlinkSync(join(bundleDir(), 'cli.js'), link);
    const help = started(process.execPath, [link, '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^usage: chartship <command>/);
    const typo = started(process.execPath, [link, 'publsh']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /^chartship: unknown command "publsh"/);
  });

  it('runs as `node dist/cli`, the file named without its extension', () => {
    const help = started(process.execPath, [join(bundleDir(), 'cli'), '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^usage: chartship <command>/);
  });
});
