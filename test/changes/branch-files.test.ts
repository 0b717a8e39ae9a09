import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { updateBranchFiles } from '../../src/changes/branch-files.js';
import { createGit } from '../../src/changes/git.js';
import { commitFiles, forcePush } from '../../src/changes/release-branch.js';
import { chartFiles, createRepo, openRepo } from '../helpers/git.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-branch-files-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const identity = { name: 'chartship-test', email: 'bot@example.com' };

function setup(name: string) {
  const repo = createRepo();
  repo.commit('chore: a chart', chartFiles('charts/a', 'a', '1.0.0'));
  const origin = join(scratch, `${name}.git`);
  const remote = repo.addOrigin(origin);
  return { repo, origin, remote };
}

it('creates the branch on the remote and adds files to it later, never touching the work tree, the index or HEAD', async () => {
  const { repo, remote } = setup('create');
  repo.write('charts/a/values.yaml', 'edited: true\n');
  const head = repo.git('rev-parse', 'HEAD');
  const git = createGit(repo.dir);
  const seen: (string | undefined)[] = [];
  const first = await updateBranchFiles(git, {
    remote: 'origin',
    branch: 'gh-pages',
    identity,
    update: async (read) => {
      seen.push((await read('index.yaml'))?.toString());
      return { files: new Map([['index.yaml', Buffer.from('v1\n')], ['a-1.0.0.tgz', Buffer.from([0, 1, 2, 255])]]), message: 'first' };
    },
  });
  assert.deepEqual(seen, [undefined], 'no branch yet: nothing to read');
  assert.equal(remote('rev-parse', 'gh-pages'), first);
  assert.equal(remote('rev-list', '--count', 'gh-pages'), '1', 'a root commit, no history of main');
  assert.equal(remote('show', 'gh-pages:index.yaml'), 'v1');
  assert.deepEqual(execFileSync('git', ['--git-dir', join(scratch, 'create.git'), 'cat-file', 'blob', 'gh-pages:a-1.0.0.tgz']), Buffer.from([0, 1, 2, 255]));
  assert.match(remote('log', '-1', '--format=%an <%ae> %s', 'gh-pages'), /^chartship-test <bot@example\.com> first$/);

  const second = await updateBranchFiles(git, {
    remote: 'origin',
    branch: 'gh-pages',
    identity,
    update: async (read) => ({ files: new Map([['index.yaml', Buffer.from(`${(await read('index.yaml'))!.toString().trim()} v2\n`)]]), message: 'second' }),
  });
  assert.equal(remote('rev-parse', 'gh-pages~1'), first);
  assert.equal(remote('rev-parse', 'gh-pages'), second);
  assert.equal(remote('show', 'gh-pages:index.yaml'), 'v1 v2');
  assert.equal(remote('ls-tree', '--name-only', 'gh-pages'), 'a-1.0.0.tgz\nindex.yaml', 'files already there are kept');

  const none = await updateBranchFiles(git, { remote: 'origin', branch: 'gh-pages', identity, update: () => Promise.resolve(undefined) });
  assert.equal(none, undefined);
  assert.equal(remote('rev-parse', 'gh-pages'), second, 'nothing to change: no commit');

  assert.equal(repo.git('rev-parse', 'HEAD'), head);
  assert.equal(repo.git('symbolic-ref', '--short', 'HEAD'), 'main');
  assert.equal(repo.git('status', '--porcelain'), 'M charts/a/values.yaml', 'the work tree keeps its edit, nothing is staged');
  repo.cleanup();
});

it('when another job pushed to the branch meanwhile, starts over from its commit and keeps its files', async () => {
  const { repo, origin, remote } = setup('race');
  const git = createGit(repo.dir);
  await updateBranchFiles(git, { remote: 'origin', branch: 'gh-pages', identity, update: () => Promise.resolve({ files: new Map([['index.yaml', Buffer.from('base\n')]]), message: 'base' }) });
  // The other job: a clone that adds its own file to gh-pages.
  const other = openRepo(join(scratch, 'other'));
  execFileSync('git', ['clone', '-q', '--branch', 'gh-pages', origin, other.dir]);
  let calls = 0;
  const commit = await updateBranchFiles(git, {
    remote: 'origin',
    branch: 'gh-pages',
    identity,
    update: async (read) => {
      calls++;
      if (calls === 1) {
        other.commit('the other job', { 'b-1.0.0.tgz': 'b' });
        other.git('push', '-q', 'origin', 'gh-pages');
      }
      return { files: new Map([['index.yaml', Buffer.from(`${(await read('index.yaml'))!.toString().trim()} +ours\n`)]]), message: 'ours' };
    },
  });
  assert.equal(calls, 2, 'the rejected push started over');
  assert.equal(remote('rev-parse', 'gh-pages'), commit);
  assert.equal(remote('log', '--format=%s', 'gh-pages'), 'ours\nthe other job\nbase');
  assert.equal(remote('ls-tree', '--name-only', 'gh-pages'), 'b-1.0.0.tgz\nindex.yaml');
  assert.equal(remote('show', 'gh-pages:index.yaml'), 'base +ours');
  repo.cleanup();
});

it('a push the remote refuses fails with the remote\'s own reason, not git\'s "failed to push some refs"', async () => {
  const { repo, origin } = setup('refused');
  // Protected branches, as GitHub answers a token that may not push there.
  const hook = join(origin, 'hooks', 'pre-receive');
  writeFileSync(hook, '#!/bin/sh\nread old new ref\necho "error: GH006: Protected branch update failed for $ref." >&2\nexit 1\n');
  chmodSync(hook, 0o755);
  const git = createGit(repo.dir);
  const refused = (branch: string) => (error: Error) => {
    assert.match(error.message, new RegExp(`^cannot push .*: error: GH006: Protected branch update failed for refs/heads/${branch}\\.$`));
    return true;
  };
  await assert.rejects(
    updateBranchFiles(git, { remote: 'origin', branch: 'gh-pages', identity, update: () => Promise.resolve({ files: new Map([['index.yaml', Buffer.from('v1\n')]]), message: 'first' }) }),
    refused('gh-pages'),
  );
  await assert.rejects(forcePush(git, 'origin', 'chartship/release', repo.git('rev-parse', 'HEAD')), refused('chartship/release'));
  repo.cleanup();
});

it('commits hundreds of files with a handful of git processes, each file byte for byte whatever the attributes say', async () => {
  const { repo } = setup('many-files');
  // Attributes that would rewrite line endings on the way in, if the bytes were hashed as a checkout's files are.
  repo.commit('chore: attributes', { '.gitattributes': '* text=auto eol=lf\n' });
  const parent = repo.git('rev-parse', 'HEAD');
  const files = new Map<string, string>();
  for (let i = 0; i < 300; i++) files.set(`charts/c${i}/Chart.yaml`, `apiVersion: v2\r\nname: c${i}\r\nversion: 1.0.1\r\n`);
  files.set('charts/odd name/é\tx.yaml', 'tab and accent\n');
  const calls: string[] = [];
  const real = createGit(repo.dir);
  const git = { cwd: repo.dir, run: (args: string[], options?: Parameters<typeof real.run>[1]) => (calls.push(args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? ''), real.run(args, options)) };
  const { commit } = await commitFiles(git, { parent, files, message: 'chore: release', identity });
  assert.ok(calls.length <= 6, `git processes: ${calls.join(' ')}`);
  for (const [path, text] of [...files].filter((_, i) => i % 50 === 0 || i === files.size - 1)) {
    assert.equal(execFileSync('git', ['cat-file', 'blob', `${commit}:${path}`], { cwd: repo.dir, encoding: 'utf8' }), text, path);
  }
  assert.equal(repo.git('ls-tree', '-r', '--name-only', commit).split('\n').length, 300 + 1 + 4, 'the parent\'s files and every new one');
  assert.equal(repo.git('rev-parse', 'HEAD'), parent, 'HEAD stays');
});
