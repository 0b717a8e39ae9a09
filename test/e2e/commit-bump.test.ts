import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { chartFiles, createRepo } from '../helpers/git.js';

const repo = createRepo();
const scratch = mkdtempSync(join(tmpdir(), 'chartship-bump-'));
const origin = join(scratch, 'origin.git');
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

it('commit-bump commits the Chart.yaml bumps, comments intact, and pushes them to the branch', async () => {
  const before = repo.commit('chore: add the chart', {
    ...chartFiles('charts/svc', 'svc', '1.4.2'),
    'charts/svc/Chart.yaml': 'apiVersion: v2\nname: svc\n# bumped by chartship\nversion: 1.4.2 # keep this comment\nappVersion: "3.0"\n',
  });
  const after = repo.commit('feat(svc): expose metrics', { 'charts/svc/templates/svc.yaml': 'kind: Service\n' });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', 'origin', 'main');

  const event = join(scratch, 'event.json');
  writeFileSync(event, JSON.stringify({ before, after }));
  for (const file of ['output', 'summary']) writeFileSync(join(scratch, file), '');
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(process.cwd(), 'src/action/main.ts')], {
    cwd: repo.dir,
    timeout: 60_000,
    env: {
      PATH: process.env['PATH'],
      HOME: scratch,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: after,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_WORKSPACE: repo.dir,
      GITHUB_OUTPUT: join(scratch, 'output'),
      GITHUB_STEP_SUMMARY: join(scratch, 'summary'),
      INPUT_REGISTRY: `oci-layout:${join(scratch, 'layout')}`,
      'INPUT_COMMIT-BUMP': 'true',
    },
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  assert.equal(await new Promise((resolve) => child.on('close', resolve)), 0, log);

  const git = (...args: string[]) => execFileSync('git', ['--git-dir', origin, ...args], { encoding: 'utf8' }).trim();
  assert.equal(git('rev-parse', 'main~1'), after, 'one commit on top of the released one');
  assert.match(git('log', '-1', '--format=%s %an', 'main'), /^chore\(release\): svc 1\.5\.0 \[skip ci\] github-actions\[bot\]$/);
  assert.deepEqual(git('diff', '--name-only', 'main~1', 'main').split('\n'), ['charts/svc/Chart.yaml']);
  assert.equal(
    git('show', 'main:charts/svc/Chart.yaml'),
    'apiVersion: v2\nname: svc\n# bumped by chartship\nversion: 1.5.0 # keep this comment\nappVersion: "3.0"',
  );
});
