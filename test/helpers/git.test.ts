import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { chartFiles, createRepo, type TestRepo } from './git.js';

const repos: TestRepo[] = [];
after(() => repos.forEach((r) => r.cleanup()));

test('commits() makes the same commits as commit() one at a time: same SHAs, work tree and index', () => {
  const history: { message: string; files?: Record<string, string | null> }[] = [
    { message: 'chore: init', files: { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0') } },
    { message: 'fix(a): one\n\nwith a body', files: { 'charts/a/values.yaml': 'n: 1\n' } },
    { message: 'feat!: drop b', files: { 'charts/b': null, 'notes/ünïcödé.txt': 'x\n' } },
    { message: 'chore: nothing changes' },
  ];
  const one = createRepo();
  const many = createRepo();
  repos.push(one, many);
  // From an empty repository (a root commit), then on top of a commit made the ordinary way.
  const expected = history.map(({ message, files }) => one.commit(message, files));
  assert.deepEqual(many.commits(history.slice(0, 1)), expected.slice(0, 1));
  assert.deepEqual(many.commits(history.slice(1)), expected.slice(1));
  assert.equal(many.git('status', '--porcelain'), '', 'the work tree and index are at the last commit');
  assert.equal(many.read('notes/ünïcödé.txt'), 'x\n');
  // The tick goes on from where commits() left it, as it would after commit().
  assert.equal(many.commit('fix: after', { 'x.txt': '1\n' }), one.commit('fix: after', { 'x.txt': '1\n' }));
});

test('commits() refuses a dirty work tree rather than resetting it away', () => {
  const repo = createRepo();
  repos.push(repo);
  repo.commit('chore: first', { 'a.txt': '1\n' });
  repo.write('a.txt', 'unsaved\n');
  assert.throws(() => repo.commits([{ message: 'fix: x', files: { 'b.txt': '2\n' } }]), /needs a clean work tree/);
  assert.equal(repo.read('a.txt'), 'unsaved\n');
});

test('commit() returns what `git rev-parse HEAD` says, on a branch, with packed refs and on a detached HEAD', () => {
  const repo = createRepo();
  repos.push(repo);
  assert.equal(repo.commit('chore: first', { 'a.txt': '1\n' }), repo.git('rev-parse', 'HEAD'));
  repo.git('pack-refs', '--all');
  repo.git('checkout', '-q', '-b', 'side');
  repo.git('pack-refs', '--all');
  assert.equal(repo.commit('chore: on a packed branch', { 'a.txt': '2\n' }), repo.git('rev-parse', 'HEAD'));
  repo.git('checkout', '-q', '--detach');
  const detached = repo.commit('chore: detached', { 'a.txt': '3\n' });
  assert.equal(detached, repo.git('rev-parse', 'HEAD'));
  assert.notEqual(detached, repo.git('rev-parse', 'side'));
});
