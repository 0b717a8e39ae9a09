import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createGit, readBlobs, type Git } from '../../src/changes/git.js';
import { readFilesAt } from '../../src/changes/tree-files.js';
import { chartFiles, createRepo } from '../helpers/git.js';

describe('reading many files of a commit', () => {
  const r = createRepo();
  after(() => r.cleanup());
  const files: Record<string, string> = {};
  for (let i = 0; i < 120; i++) Object.assign(files, chartFiles(`charts/g${i % 3}/c${i}`, `c${i}`, `1.${i}.0`));
  Object.assign(files, {
    'Chart.yaml': 'apiVersion: v2\nname: top\nversion: 0.1.0\n',
    'other/ünï/Chart.yaml': 'apiVersion: v2\nname: unicode\nversion: 2.0.0\n',
    // Two paths, one blob: read once, given to both.
    'charts/copy/Chart.yaml': files['charts/g0/c0/Chart.yaml']!,
    // A directory where a Chart.yaml is looked for: no file there.
    'charts/dir/Chart.yaml/x.txt': 'x\n',
  });
  const base = r.commit('chore: charts', files);
  // A symbolic link's blob is its target, and a submodule's entry no blob at all: as `rev:path` reads them.
  mkdirSync(join(r.dir, 'charts/link'));
  symlinkSync('../g0/c0/Chart.yaml', join(r.dir, 'charts/link/Chart.yaml'));
  r.git('update-index', '--add', '--cacheinfo', `160000,${base},charts/sub/Chart.yaml`);
  r.commit('chore: a link and a submodule', { 'charts/g1/c1/Chart.yaml': 'apiVersion: v2\nname: c1\nversion: 9.9.9\n' });
  const paths = [
    ...Array.from({ length: 120 }, (_, i) => `charts/g${i % 3}/c${i}/Chart.yaml`),
    'Chart.yaml',
    'other/ünï/Chart.yaml',
    'charts/copy/Chart.yaml',
    'charts/dir/Chart.yaml',
    'charts/link/Chart.yaml',
    'charts/sub/Chart.yaml',
    'charts/missing/Chart.yaml',
    'nowhere/Chart.yaml',
  ];

  function recording(): { git: Git; calls: { args: string[]; input: string }[] } {
    const real = createGit(r.dir);
    const calls: { args: string[]; input: string }[] = [];
    return { calls, git: { cwd: r.dir, run: (args, options) => (calls.push({ args, input: String(options?.input ?? '') }), real.run(args, options)) } };
  }

  for (const rev of ['HEAD', base]) {
    it(`reads what \`${rev === 'HEAD' ? rev : 'an older commit'}:path\` names, each path's file or nothing, looking no path up`, async () => {
      const { git, calls } = recording();
      const read = await readFilesAt(git, rev, paths);
      assert.deepEqual(read, await readBlobs(createGit(r.dir), paths.map((p) => `${rev}:${p}`)));
      const at = (path: string) => read[paths.indexOf(path)];
      assert.equal(at('charts/g1/c1/Chart.yaml'), rev === 'HEAD' ? 'apiVersion: v2\nname: c1\nversion: 9.9.9\n' : files['charts/g1/c1/Chart.yaml']);
      assert.equal(at('Chart.yaml'), files['Chart.yaml']);
      assert.equal(at('other/ünï/Chart.yaml'), files['other/ünï/Chart.yaml']);
      assert.equal(at('charts/copy/Chart.yaml'), files['charts/g0/c0/Chart.yaml']);
      assert.equal(at('charts/link/Chart.yaml'), rev === 'HEAD' ? '../g0/c0/Chart.yaml' : undefined);
      for (const none of ['charts/dir/Chart.yaml', 'charts/sub/Chart.yaml', 'charts/missing/Chart.yaml', 'nowhere/Chart.yaml']) assert.equal(at(none), undefined, none);
      // One listing, then the blobs by object name: git resolves no `rev:path`, each costing a walk from the root tree.
      assert.deepEqual(calls.map((c) => c.args[0]), ['ls-tree', 'cat-file']);
      assert.ok(!calls[1]!.input.includes(':'), calls[1]!.input.slice(0, 200));
      assert.equal(new Set(calls[1]!.input.split('\n').filter(Boolean)).size, calls[1]!.input.split('\n').filter(Boolean).length);
    });
  }

  it('looks a few paths up by path, in one git call', async () => {
    const { git, calls } = recording();
    const few = ['charts/g0/c0/Chart.yaml', 'charts/link/Chart.yaml', 'charts/missing/Chart.yaml'];
    assert.deepEqual(await readFilesAt(git, 'HEAD', few), await readBlobs(createGit(r.dir), few.map((p) => `HEAD:${p}`)));
    assert.deepEqual(calls.map((c) => c.args[0]), ['cat-file']);
  });
});
