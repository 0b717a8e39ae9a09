import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, gitCallLog } from '../helpers/git.js';

const CHARTS = 12;

describe('source dates through the bundled CLI', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-source-dates-'));
  const repo = createRepo();
  after(() => {
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('dates every chart as `git log -1 --format=%ct -- <chart>` would, from a constant number of git processes', async () => {
    const names = Array.from({ length: CHARTS }, (_, i) => `c${i}`);
    repo.commit('feat: charts', Object.fromEntries(names.flatMap((n) => Object.entries(chartFiles(`charts/${n}`, n, '1.0.0')))));
    repo.git('checkout', '-q', '-b', 'side');
    repo.commit('fix(c1): side', { 'charts/c1/values.yaml': 'side: 1\n', 'charts/c2/values.yaml': 'side: 2\n' });
    repo.git('checkout', '-q', 'main');
    repo.commit('fix(c3): main', { 'charts/c3/values.yaml': 'main: 3\n', 'charts/c2/extra.yaml': 'main: 2\n' });
    repo.git('merge', '-q', '--no-ff', '--no-edit', 'side');
    repo.commit('fix(c4): after the merge', { 'charts/c4/values.yaml': 'after: 4\n' });

    // Every git the CLI starts, logged by a shim in front of the real one.
    const { bin, calls } = gitCallLog(scratch);
    const layout = join(scratch, 'layout');
    const run = await runBundledCli(['publish', '--charts', 'charts/*', '--registry', `oci-layout:${layout}`, '--policy', 'off'], {
      cwd: repo.dir,
      env: { PATH: `${bin}:${process.env['PATH']}`, HOME: scratch },
    });
    assert.equal(run.code, 0, run.stderr);

    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    const blob = (digest: string) => JSON.parse(readFileSync(join(layout, 'blobs', ...digest.split(':')), 'utf8')) as { annotations: Record<string, string> };
    const created = new Map(index.manifests.map((m) => [m.annotations['org.opencontainers.image.ref.name']!.split(':')[0]!, blob(m.digest).annotations['org.opencontainers.image.created']]));
    assert.equal(created.size, CHARTS);
    for (const name of names) {
      const seconds = Number(repo.git('log', '-1', '--format=%ct', '--', `charts/${name}`));
      assert.equal(created.get(name), new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'), name);
    }
    assert.notEqual(created.get('c1'), created.get('c0'), 'the dates differ from chart to chart');

    const lines = calls();
    assert.deepEqual(lines.filter((l) => l.includes('log -1')), [], 'no git per chart');
    assert.equal(lines.filter((l) => l.includes('--diff-merges=first-parent')).length, 1, 'one history pass');
    assert.ok(lines.length < CHARTS, `${lines.length} git processes for ${CHARTS} charts:\n${lines.join('\n')}`);
  });
});
