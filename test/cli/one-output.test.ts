/**
 * `chartship publish --dry-run` as a user reads it: in a terminal or a CI job's log, stdout and stderr are one place,
 * and the plan the log prints is not printed again as the report. Redirected apart (`> plan.txt`), the report still
 * holds the whole plan. The bundled CLI in a child process whose output goes to real files.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { cliBundle, productTestEnv } from '../helpers/bundle.js';
import { chartFiles, createRepo } from '../helpers/git.js';

const repo = createRepo('chartship-one-output-');
repo.commit('feat: charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '2.0.0') });
const scratch = mkdtempSync(join(tmpdir(), 'chartship-one-output-out-'));
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** The dry run with stdout and stderr written to the files named (the same name: one file for both). */
async function dryRun(stdoutFile: string, stderrFile: string, policy = 'off', dry = true): Promise<number> {
  const out = openSync(stdoutFile, 'w');
  const err = stderrFile === stdoutFile ? out : openSync(stderrFile, 'w');
  try {
    const child = spawn(process.execPath, [cliBundle(), 'publish', ...(dry ? ['--dry-run'] : []), '--policy', policy, '--registry', `oci-layout:${join(scratch, 'layout')}`], {
      cwd: repo.dir,
      env: { PATH: process.env['PATH'], HOME: scratch, ...productTestEnv() },
      stdio: ['ignore', out, err],
      timeout: 60_000,
    });
    return await new Promise<number>((resolve, reject) => child.on('error', reject).on('close', (code) => resolve(code ?? 1)));
  } finally {
    closeSync(out);
    if (err !== out) closeSync(err);
  }
}

const tables = (text: string) => text.split('\n').filter((line) => /^NAME\s+PATH\s+CURRENT\s+NEXT/.test(line)).length;

it('one output (a terminal, a CI log): the plan is printed once', async () => {
  const both = join(scratch, 'both.txt');
  assert.equal(await dryRun(both, both), 0, readFileSync(both, 'utf8'));
  const text = readFileSync(both, 'utf8');
  assert.equal(tables(text), 1, text);
  assert.match(text, /^web\s+charts\/web\s+1\.0\.0/m);
  assert.match(text, /^dry run: nothing was published; would push 2 chart\(s\) to oci-layout:\S+\/layout$/m);
});

it('stdout redirected apart: it holds the whole plan, and the log has it too', async () => {
  const [stdout, stderr] = [join(scratch, 'out.txt'), join(scratch, 'err.txt')];
  assert.equal(await dryRun(stdout, stderr), 0, readFileSync(stderr, 'utf8'));
  assert.equal(tables(readFileSync(stdout, 'utf8')), 1, readFileSync(stdout, 'utf8'));
  assert.equal(tables(readFileSync(stderr, 'utf8')), 1, readFileSync(stderr, 'utf8'));
});

it('one output with the policy on: each finding is said once, and the report gives the count', async () => {
  const both = join(scratch, 'policy.txt');
  assert.equal(await dryRun(both, both, 'warn'), 0, readFileSync(both, 'utf8'));
  const text = readFileSync(both, 'utf8');
  assert.equal(text.split('\n').filter((line) => line.includes('charts/web/Chart.yaml:1:1') && line.includes('has no maintainers')).length, 1, text);
  assert.match(text, /^2 charts checked \(warnings only\): \d+ findings/m);
  assert.equal(tables(text), 1, text);
});

it('one output, a real publish: each finding is said once, then the digests and the count', async () => {
  const both = join(scratch, 'published.txt');
  assert.equal(await dryRun(both, both, 'warn', false), 0, readFileSync(both, 'utf8'));
  const text = readFileSync(both, 'utf8');
  assert.equal(text.split('\n').filter((line) => line.includes('charts/web/Chart.yaml:1:1') && line.includes('has no maintainers')).length, 1, text);
  assert.match(text, /^\| `web` \| 1\.0\.0 \| ✅ pushed \|/m);
  assert.match(text, /^2 charts checked \(warnings only\): \d+ findings/m);
});
