import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compilePathGlob, discoverCharts } from '../../src/charts/discover.js';
import { detectChanges } from '../../src/changes/detect.js';
import { createGit, gitFailed, readBlobs, type Git } from '../../src/changes/git.js';
import { parseHistory, readHistory } from '../../src/changes/history.js';
import { ensureFullHistory, isShallow } from '../../src/changes/refs.js';
import { latestReleaseTags, renderTag } from '../../src/changes/tags.js';
import { createPlan } from '../../src/pipeline/plan.js';
import { ChartshipError } from '../../src/model/errors.js';
import { chartFiles, chartYaml, createRepo, type TestRepo } from '../helpers/git.js';

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));
function repo(): TestRepo {
  const r = createRepo();
  cleanups.push(() => r.cleanup());
  return r;
}
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-clone-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
/**
 * A GitLab runner's checkout (GIT_DEPTH): `git init`, the remote, one fetch of `refspec` two commits deep, `sha`
 * checked out detached. `run` runs git in it.
 */
function runnerClone(origin: TestRepo, refspec: string, sha: string): { dir: string; run: (...args: string[]) => void } {
  const dir = tempDir();
  const run = (...args: string[]) => void execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  run('init', '-q');
  run('remote', 'add', 'origin', `file://${origin.dir}`);
  run('fetch', 'origin', '--prune', '--depth', '2', refspec);
  run('checkout', '-f', '-q', sha);
  return { dir, run };
}
/** A history of `count` commits, each changing chart a; returns the SHAs oldest first. */
function longHistory(r: TestRepo, count: number): string[] {
  return r.commits([
    { message: 'chore: init', files: { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0') } },
    ...Array.from({ length: count - 1 }, (_, n) => ({ message: n === count - 2 ? 'feat: last' : `fix: change ${n + 1}`, files: { 'charts/a/values.yaml': `n: ${n + 1}\n` } })),
  ]);
}

describe('path globs', () => {
  it('matches segments, spans directories with ** and prunes what cannot match', () => {
    const g = compilePathGlob('platform/*/charts/*');
    assert.equal(g.matches('platform/t1/charts/api'), true);
    assert.equal(g.matches('platform/t1/charts'), false);
    assert.equal(g.couldContain('platform/t1'), true);
    assert.equal(g.couldContain('other'), false);
    const deep = compilePathGlob('charts/**');
    assert.equal(deep.matches('charts/a/b/c'), true);
    assert.equal(deep.matches('charts'), true);
    assert.equal(compilePathGlob('charts/[ab]?').matches('charts/ax'), true);
    assert.equal(compilePathGlob('charts/[ab]?').matches('charts/cx'), false);
  });

  it('discovers nested charts under **, not the charts inside a chart, and reports an invalid Chart.yaml with its path', async () => {
    const r = repo();
    r.commit('init', { ...chartFiles('charts/group/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0'), ...chartFiles('charts/b/charts/sub', 'sub', '0.1.0') });
    // b's vendored subchart is part of b: publishing it as a chart of its own would publish someone else's chart.
    const found = await discoverCharts(r.dir, { charts: ['charts/**'] });
    assert.deepEqual(found.map((c) => [c.name, c.path]), [['b', 'charts/b'], ['a', 'charts/group/a']]);
    assert.deepEqual((await discoverCharts(r.dir, { charts: ['**'] })).map((c) => c.path), ['charts/b', 'charts/group/a']);
    // A glob that names the directory inside a chart, segment by segment, still reaches it.
    assert.deepEqual((await discoverCharts(r.dir, { charts: ['charts/*/charts/*'] })).map((c) => c.path), ['charts/b/charts/sub']);
    assert.deepEqual((await discoverCharts(r.dir)).map((c) => c.name), ['b']);
    r.write('charts/bad/Chart.yaml', 'apiVersion: v2\nname: bad\nversion: 1.0.0.0\n');
    await assert.rejects(discoverCharts(r.dir), (e: unknown) => e instanceof ChartshipError && e.file === 'charts/bad/Chart.yaml' && e.field === 'version');
  });
});

describe('git plumbing', () => {
  it('parses name-status -z output with renames, and reads blobs in one batch', async () => {
    const r = repo();
    const first = r.commit('one\n\nbody', { 'a/f.txt': 'x\n', 'b.txt': 'ünïcödé\n' });
    r.git('mv', 'a', 'c');
    r.commit('two', { 'd.txt': 'd\n' });
    const git = createGit(r.dir);
    const history = await readHistory(git, ['HEAD']);
    assert.equal(history.length, 2);
    assert.deepEqual(history[0]?.files, [{ status: 'R', from: 'a/f.txt', path: 'c/f.txt' }, { status: 'A', path: 'd.txt' }]);
    assert.equal(history[1]?.message, 'one\n\nbody');
    assert.deepEqual(history[0]?.parents, [first]);
    assert.deepEqual(await readBlobs(git, [`${first}:b.txt`, `${first}:missing`, 'HEAD:d.txt']), ['ünïcödé\n', undefined, 'd\n']);
    assert.deepEqual(parseHistory(''), []);
  });

  it('reads a long history with merges in two halves side by side, equal to one git log', async () => {
    const r = repo();
    const bulk = (from: number, count: number, path: string) =>
      Array.from({ length: count }, (_, n) => ({ message: `fix: change ${from + n}\n\nbody ${from + n}`, files: { [path]: `n: ${from + n}\n` } }));
    r.commits([{ message: 'chore: init', files: { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0') } }, ...bulk(0, 2500, 'charts/a/values.yaml')]);
    r.git('checkout', '-q', '-b', 'side', 'HEAD~1200');
    r.commits(bulk(3000, 2000, 'charts/b/values.yaml'));
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--no-ff', '-m', 'Merge side', 'side');
    r.git('mv', 'charts/b', 'charts/c');
    r.commit('refactor: move b');
    r.commits(bulk(6000, 800, 'charts/a/values.yaml'));
    const git = createGit(r.dir);
    const whole = parseHistory((await git.run(['log', '-z', '--name-status', '-M', '--topo-order', '--format=\x1e%H\x1f%P\x1f%B\x1f', 'HEAD', '--'])).stdout);
    const halves = await readHistory(git, ['HEAD']);
    assert.equal(whole.length, 5303);
    assert.deepEqual(halves, whole);
    assert.ok(halves.some((c) => c.parents.length === 2));
    assert.deepEqual(halves[800]?.files.filter((f) => f.status === 'R').length, 3);
  });

  it('matches release tags with any template, choosing the highest version', () => {
    const tags = ['my-app-1.0.0', 'my-app-1.2.0-rc.1', 'my-app-1.1.0', 'my-1.0.0', 'other-9.0.0', 'my-app-v2'].map((name) => ({ name, commit: name }));
    const latest = latestReleaseTags(tags, '{name}-{version}', ['my-app', 'my']);
    assert.equal(latest.get('my-app')?.version, '1.2.0-rc.1');
    assert.equal(latest.get('my')?.version, '1.0.0');
    const v = latestReleaseTags([{ name: 'v3.1.0/web', commit: 'x' }], 'v{version}/{name}', ['web']);
    assert.equal(v.get('web')?.tag, 'v3.1.0/web');
    assert.equal(renderTag('{name}-v{version}', 'web', '1.0.0'), 'web-v1.0.0');
    assert.throws(() => renderTag('{name}{version}', 'a', '1.0.0'), ChartshipError);
    assert.throws(() => renderTag('{name}', 'a', '1.0.0'), ChartshipError);
    assert.throws(() => renderTag('{version}-{version}', 'a', '1.0.0'), ChartshipError);
    // Without {name}: the tags of the one chart selected, and with two charts no tag could say whose it is.
    assert.equal(renderTag('v{version}', 'a', '1.0.0'), 'v1.0.0');
    const solo = latestReleaseTags(['v1.0.0', 'v1.1.0', 'v2', 'release-3.0.0', 'v1.0.5'].map((name) => ({ name, commit: name })), 'v{version}', ['a']);
    assert.deepEqual([...solo], [['a', { tag: 'v1.1.0', commit: 'v1.1.0', version: '1.1.0' }]]);
    assert.throws(() => latestReleaseTags([], 'v{version}', ['a', 'b']), /names no chart, and 2 charts are selected/);
  });
});

describe('shallow clones', () => {
  it('deepens a depth-1 clone until the base is reachable', async () => {
    const origin = repo();
    const shas = longHistory(origin, 80);
    const dir = join(tempDir(), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, dir]);
    const git = createGit(dir);
    assert.equal(await isShallow(git), true);
    const plan = await createPlan({ cwd: dir, base: shas[0] });
    assert.equal(plan.base, shas[0]);
    assert.equal(plan.charts.find((c) => c.name === 'a')?.nextVersion, '1.1.0');
    assert.equal(plan.charts.find((c) => c.name === 'a')?.changelog.length, 79);
    assert.equal(plan.charts.find((c) => c.name === 'b')?.action, 'skipped');
  });

  it('deepens a clone that has both ends of the range but cuts the merged side short (GitLab merged results)', async () => {
    const origin = repo();
    longHistory(origin, 1);
    origin.git('checkout', '-q', '-b', 'feature');
    origin.commits([1, 2, 3].map((n) => ({ message: `fix(a): step ${n}`, files: { 'charts/a/values.yaml': `step: ${n}\n` } })));
    origin.git('checkout', '-q', 'main');
    const target = origin.commit('docs: a note', { 'NOTES.md': 'notes\n' });
    origin.git('merge', '-q', '--no-ff', '-m', "Merge branch 'feature' into 'main'", 'feature');
    origin.git('update-ref', 'refs/merge-requests/1/merge', 'HEAD');
    const merge = origin.git('rev-parse', 'HEAD');
    // The runner's checkout of a merged results pipeline: the merge ref alone, GIT_DEPTH deep, detached.
    const { dir } = runnerClone(origin, '+refs/merge-requests/1/merge:refs/merge-requests/1/merge', merge);
    const plan = await createPlan({ cwd: dir, base: target });
    assert.equal(plan.base, target);
    assert.equal(plan.charts.find((c) => c.name === 'b')?.action, 'skipped', 'b is not in the request');
    assert.deepEqual(plan.charts.find((c) => c.name === 'a')?.changelog.map((c) => c.subject), ['step 3', 'step 2', 'step 1']);
  });

  it('fetches the tags a whole clone lacks when planning from a base too (Jenkins multibranch), not planning below a release', async () => {
    const origin = repo();
    const [init] = longHistory(origin, 1);
    origin.commit('feat(a): two', { 'charts/a/Chart.yaml': chartYaml('a', '2.0.0') });
    origin.tag('a-2.0.0');
    origin.git('checkout', '-q', '-b', 'feature', init!);
    const head = origin.commit('fix(a): a value', { 'charts/a/values.yaml': 'fixed: true\n' });
    // The git plugin's checkout without its "fetch tags" behaviour, detached at GIT_COMMIT.
    const dir = tempDir();
    const run = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    run('init', '-q');
    run('config', 'remote.origin.url', `file://${origin.dir}`);
    run('fetch', '--no-tags', '--force', '--', `file://${origin.dir}`, '+refs/heads/*:refs/remotes/origin/*');
    run('checkout', '-f', head);
    const plan = await createPlan({ cwd: dir, base: init! });
    assert.equal(plan.charts.find((c) => c.name === 'a')?.nextVersion, '2.0.1');
  });

  it('deepens a merge request pipeline\'s clone by the range\'s ends alone, not by every branch of a monorepo', async () => {
    const origin = repo();
    const shas = longHistory(origin, 60);
    origin.git('checkout', '-q', '-b', 'feature', shas[20]!);
    origin.commits([1, 2, 3].map((n) => ({ message: `fix(a): step ${n}`, files: { 'charts/a/values.yaml': `step: ${n}\n` } })));
    origin.git('update-ref', 'refs/pipelines/7', 'HEAD');
    const head = origin.git('rev-parse', 'HEAD');
    origin.git('checkout', '-q', 'main');
    const target = origin.commit('docs: a note', { 'NOTES.md': 'notes\n' });
    // The target branch moved on since the request's diff base: no ref names the base any more.
    origin.commit('docs: another note', { 'NOTES.md': 'more notes\n' });
    // A monorepo's other branches, none of which the range needs.
    execFileSync('git', ['update-ref', '--stdin'], { cwd: origin.dir, input: shas.slice(0, 50).map((sha, n) => `create refs/heads/topic-${n} ${sha}\n`).join('') });
    // The runner's checkout of a merge request pipeline with GIT_DEPTH: the pipeline's ref alone, no branch, no tag.
    const clone = () => runnerClone(origin, '+refs/pipelines/7:refs/pipelines/7', head);
    const planned = async (dir: string) => {
      const { git, calls } = recordingGit(dir);
      const plan = await createPlan({ cwd: dir, base: target, git });
      assert.equal(plan.charts.find((c) => c.name === 'b')?.action, 'skipped');
      assert.deepEqual(plan.charts.find((c) => c.name === 'a')?.changelog.map((c) => c.subject), ['step 3', 'step 2', 'step 1']);
      const branches = execFileSync('git', ['for-each-ref', '--format=%(refname)', 'refs/remotes', 'refs/heads'], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean);
      return { fetches: calls.filter((c) => c[0] === 'fetch'), branches };
    };
    const served = await planned(clone().dir);
    assert.deepEqual(served.branches, [], 'no branch of origin is fetched');
    assert.equal(served.fetches.length, 1, JSON.stringify(served.fetches));
    assert.deepEqual(served.fetches[0]?.slice(-2), [head, target], 'the fetch asks for the two ends by SHA');
    // A server that refuses commits it did not advertise (protocol v0, no uploadpack.allow*SHA1InWant): every branch.
    const old = clone();
    old.run('config', 'protocol.version', '0');
    const refused = await planned(old.dir);
    assert.equal(refused.branches.length, 52, 'the fallback fetches the remote\'s branches, as it did');
  });

  it('plans a force push from the release tags in a shallow clone: one fetch gives up on the base, one brings the tags and head\'s history, not every branch', async () => {
    const origin = repo();
    // A GitLab branch pipeline's checkout (GIT_DEPTH), whose CI_COMMIT_BEFORE_SHA a force push rewrote away. Deeper
    // than deepening's steps (50, then 500) reach: each step was a fetch, then unshallowing, then the base asked for.
    const shas = longHistory(origin, 600);
    origin.tag('a-1.0.0', shas[0]);
    // A monorepo's other branches, none of which the tags' fallback needs.
    execFileSync('git', ['update-ref', '--stdin'], { cwd: origin.dir, input: shas.slice(0, 50).map((sha, n) => `create refs/heads/topic-${n} ${sha}\n`).join('') });
    const refs = (dir: string) => execFileSync('git', ['for-each-ref', '--format=%(refname)'], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean);
    const { dir } = runnerClone(origin, '+refs/heads/main:refs/remotes/origin/main', shas[599]!);
    const { git, calls } = recordingGit(dir);
    const warnings: string[] = [];
    const plan = await createPlan({ cwd: dir, base: 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0', eventBase: true, git, onWarning: (w) => warnings.push(w.code ?? '') });
    assert.deepEqual(warnings, ['BASE_MISSING']);
    assert.equal(plan.charts.find((c) => c.name === 'a')?.changelog.length, 599);
    const fetches = calls.filter((c) => c[0] === 'fetch');
    assert.equal(fetches.length, 2, JSON.stringify(fetches));
    assert.ok(fetches[1]?.includes('--unshallow') && fetches[1].includes('--tags') && fetches[1].at(-1) === shas[599], JSON.stringify(fetches));
    assert.deepEqual(refs(dir), ['refs/remotes/origin/main', 'refs/tags/a-1.0.0'], 'the tags and head\'s history, no other branch');
    assert.equal(await isShallow(createGit(dir)), false);
    // A server that refuses commits it did not advertise (protocol v0), asked for a head no branch ends at: every branch.
    const old = runnerClone(origin, '+refs/heads/main:refs/remotes/origin/main', shas[598]!);
    old.run('config', 'protocol.version', '0');
    assert.equal(await ensureFullHistory(createGit(old.dir), undefined, 'HEAD'), true);
    assert.equal(await isShallow(createGit(old.dir)), false);
    assert.equal(refs(old.dir).filter((ref) => ref.startsWith('refs/remotes/')).length, 51, 'the fallback fetches the remote\'s branches, as it did');
    assert.ok(refs(old.dir).includes('refs/tags/a-1.0.0'));
  });

  it('unshallows for release tags', async () => {
    const origin = repo();
    longHistory(origin, 5);
    origin.tag('a-1.0.0', 'HEAD~3');
    const dir = join(tempDir(), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-tags', `file://${origin.dir}`, dir]);
    const plan = await createPlan({ cwd: dir, sinceTags: true });
    assert.equal(await isShallow(createGit(dir)), false);
    assert.equal(plan.charts.find((c) => c.name === 'a')?.changelog.length, 3);
    assert.equal(plan.charts.find((c) => c.name === 'b')?.reasons[0]?.kind, 'first-release');
    // The tags a release pull request's CHANGELOG.md links its diff from: none for a first release.
    assert.deepEqual(plan.charts.map((c) => [c.name, c.previousTag]), [['a', 'a-1.0.0'], ['b', undefined]]);
  });

  it('fails with a fetch-depth hint when the clone cannot be deepened', async () => {
    const source = repo();
    const shas = longHistory(source, 5);
    const dir = join(tempDir(), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${source.dir}`, dir]);
    // The origin disappears, as when a workflow's checkout cannot reach it again.
    source.cleanup();
    await assert.rejects(createPlan({ cwd: dir, base: shas[0] }), (e: unknown) => {
      assert.ok(e instanceof ChartshipError);
      assert.match(e.describe(), /shallow.*fetch-depth: 0/);
      return true;
    });
  });
});

/** The real git, with every call it is asked written down (a subcommand and its arguments). */
function recordingGit(dir: string): { git: Git; calls: string[][] } {
  const real = createGit(dir);
  const calls: string[][] = [];
  return {
    calls,
    git: {
      cwd: dir,
      run: (args, options) => {
        // `git -c key=value log …` is a log.
        calls.push(args[0] === '-c' ? args.slice(2) : args);
        return real.run(args, options);
      },
    },
  };
}

describe('what a plan asks git', () => {
  it('plans a pull request with six git calls: no revision resolved twice, the merge base read off the range\'s listing', async () => {
    const r = repo();
    const base = r.commit('chore: init', chartFiles('charts/a', 'a', '1.0.0'));
    r.commit('feat: more', { 'charts/a/values.yaml': 'replicas: 2\n' });
    // Released before, as most repositories are: one without any tag asks its remote for them (fetchRemoteTags).
    r.tag('a-1.0.0', base);
    const { git, calls } = recordingGit(r.dir);
    const plan = await createPlan({ cwd: r.dir, base, git });
    assert.equal(plan.charts[0]?.nextVersion, '1.1.0');
    // ls-tree: the links the charts hold to files elsewhere (changes/chart-links.ts).
    assert.deepEqual(calls.map((c) => c[0]).sort(), ['cat-file', 'for-each-ref', 'log', 'ls-tree', 'rev-list', 'rev-parse']);
    // The listing names base itself, not the merge base it would otherwise wait for; its boundary is the merge base.
    assert.deepEqual(calls.find((c) => c[0] === 'rev-list'), ['rev-list', '--topo-order', '--boundary', '--end-of-options', 'HEAD', `^${base}`, '--']);
    assert.equal(plan.base, base);
  });

  it('asks git merge-base only where the listing cannot tell: a branch that merged its base in, a base ahead of head', async () => {
    const r = repo();
    const fork = r.commit('chore: init', chartFiles('charts/a', 'a', '1.0.0'));
    r.git('checkout', '-q', '-b', 'topic');
    r.commit('feat: on topic', { 'charts/a/values.yaml': 'replicas: 2\n' });
    r.git('checkout', '-q', 'main');
    const merged = r.commit('fix: on main', { 'charts/a/templates/a.yaml': 'kind: ConfigMap\n' });
    r.git('checkout', '-q', 'topic');
    r.git('merge', '-q', '--no-edit', 'main');
    r.git('checkout', '-q', 'main');
    const base = r.commit('chore: later on main', { 'other.txt': 'x\n' });
    r.git('checkout', '-q', 'topic');
    // Two boundary commits (the fork point and main's commit merged in): only the newer is the merge base.
    assert.equal(r.git('merge-base', base, 'HEAD'), merged);
    const { git, calls } = recordingGit(r.dir);
    const plan = await createPlan({ cwd: r.dir, base, git });
    assert.equal(plan.base, merged);
    assert.equal(calls.filter((c) => c[0] === 'merge-base').length, 1);
    assert.deepEqual(plan.charts[0]?.changelog.map((e) => e.subject), ['on topic']);
    // Head behind base: nothing to list, and the merge base is head itself, with no git call for it.
    r.git('checkout', '-q', fork);
    const behind = recordingGit(r.dir);
    const none = await createPlan({ cwd: r.dir, base, git: behind.git });
    assert.equal(none.base, fork);
    assert.equal(none.charts[0]?.action, 'skipped');
    assert.equal(behind.calls.filter((c) => c[0] === 'merge-base').length, 0);
  });

  it('given head (as publish gives it), resolves it once: HEAD costs no further call, a commit only the checkout\'s', async () => {
    const r = repo();
    const base = r.commit('chore: init', chartFiles('charts/a', 'a', '1.0.0'));
    const head = r.commit('feat: more', { 'charts/a/values.yaml': 'replicas: 2\n' });
    const revParses = async (given: string) => {
      const { git, calls } = recordingGit(r.dir);
      const plan = await createPlan({ cwd: r.dir, base, head: given, git });
      assert.equal(plan.charts[0]?.nextVersion, '1.1.0');
      return calls.filter((c) => c[0] === 'rev-parse');
    };
    // openRepository's one call reads the root, the shallowness and head together.
    assert.equal((await revParses('HEAD')).length, 1);
    // A commit: whether it is what is checked out (its files then come from the work tree) needs HEAD, and only HEAD.
    const calls = await revParses(head);
    assert.equal(calls.length, 2, JSON.stringify(calls));
    assert.deepEqual(calls.filter((c) => c.at(-1) === `${head}^{commit}`).length, 1, JSON.stringify(calls));
  });

  it('reads a range longer than one log diffs with one listing (the only walk but the merge base\'s) and two logs side by side', async () => {
    const r = repo();
    const shas = longHistory(r, 1500);
    r.tag('a-1.0.0', shas[0]);
    const { git, calls } = recordingGit(r.dir);
    const plan = await createPlan({ cwd: r.dir, base: shas[0], git });
    assert.equal(plan.charts.find((c) => c.name === 'a')?.changelog.length, 1499);
    assert.deepEqual(calls.map((c) => c[0]).sort(), ['cat-file', 'for-each-ref', 'log', 'log', 'ls-tree', 'rev-list', 'rev-parse']);
    // Neither log walks the range again: each is given its half of the listing.
    for (const log of calls.filter((c) => c.includes('log'))) assert.ok(log.includes('--no-walk=unsorted') && log.includes('--stdin'), log.join(' '));
  });

  it('names the revision it cannot find, and reads none as an option', async () => {
    const r = repo();
    r.commit('chore: init', chartFiles('charts/a', 'a', '1.0.0'));
    const out = join(tempDir(), 'out');
    const cases: [{ base?: string; head?: string; sinceTags?: boolean }, RegExp][] = [
      [{ base: 'nope' }, /^base: unknown base revision "nope" \(fetch the full history/],
      [{ base: `--output=${out}` }, /^base: unknown base revision "--output=/],
      [{ base: 'HEAD', head: 'nope' }, /^head: unknown head revision "nope"$/],
      [{ sinceTags: true, head: 'nope' }, /^head: unknown head revision "nope"$/],
      [{ head: `--output=${out}` }, /^head: unknown head revision "--output=/],
      // With a base, the range is listed while the merge base is still being found: from the names as given.
      [{ base: 'HEAD', head: `--output=${out}` }, /^head: unknown head revision "--output=/],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(createPlan({ cwd: r.dir, ...options }), (e: unknown) => {
        assert.ok(e instanceof ChartshipError, String(e));
        assert.equal(e.code, 'GIT_REF_UNKNOWN');
        assert.match(e.describe(), message);
        return true;
      });
    }
    assert.equal(existsSync(out), false);
  });

  it('says outside a repository that it needs a clone, whatever words git uses', async () => {
    const dir = tempDir();
    await assert.rejects(createPlan({ cwd: dir, base: 'HEAD' }), (e: unknown) => {
      assert.ok(e instanceof ChartshipError, String(e));
      assert.equal(e.message, `${dir} is not in a git repository`);
      assert.match(e.describe(), /\(chartship reads the charts' history: run it in a clone of the repository, in a workflow after actions\/checkout with fetch-depth: 0\)$/);
      assert.equal(e.code, 'GIT_NOT_A_REPOSITORY');
      return true;
    });
    // What git says when the directory is on another filesystem (a tmpfs /tmp, say) is the same mistake.
    const boundary = gitFailed(['rev-parse'], { code: 128, stderr: 'fatal: not a git repository (or any parent up to mount point /dev)\nStopping at filesystem boundary (GIT_DISCOVERY_ACROSS_FILESYSTEM not set).\n' }, dir);
    assert.equal(boundary.code, 'GIT_NOT_A_REPOSITORY');
  });

  it('says a repository with no commit has none yet', async () => {
    const empty = tempDir();
    execFileSync('git', ['init', '-q', empty]);
    for (const options of [{}, { base: 'HEAD' }]) {
      await assert.rejects(createPlan({ cwd: empty, ...options }), (e: unknown) => {
        assert.ok(e instanceof ChartshipError, String(e));
        assert.equal(e.describe(), 'head: unknown head revision "HEAD" (the repository has no commit yet: commit the charts first)');
        return true;
      });
    }
  });

  it("names git's fatal line, not the advice git prints after it", () => {
    const ambiguous = gitFailed(['log'], {
      code: 128,
      stderr: "fatal: ambiguous argument 'nope': unknown revision or path not in the working tree.\nUse '--' to separate paths from revisions, like this:\n'git <command> [<revision>...] -- [<file>...]'\n",
    }, '/repo');
    assert.equal(ambiguous.describe(), "git log failed: fatal: ambiguous argument 'nope': unknown revision or path not in the working tree.");
    const fetch = gitFailed(['fetch'], {
      code: 128,
      stderr: "fatal: 'origin' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n",
    }, '/repo');
    assert.equal(fetch.describe(), "git fetch failed: fatal: 'origin' does not appear to be a git repository");
    assert.equal(gitFailed(['log'], { code: 1, stderr: 'warning: something odd\nthe last line\n' }, '/repo').describe(), 'git log failed: the last line');
    assert.equal(gitFailed(['log'], { code: 129, stderr: '' }, '/repo').describe(), 'git log failed: exit code 129');
  });

  it('sees the release tags a shallow clone was deepened to (the tags come with the commits)', async () => {
    const origin = repo();
    const shas = longHistory(origin, 80);
    origin.tag('a-1.4.0', shas[10]);
    const dir = join(tempDir(), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, dir]);
    const plan = await createPlan({ cwd: dir, base: shas[5] });
    const a = plan.charts.find((c) => c.name === 'a');
    assert.equal(a?.nextVersion, '1.5.0');
    assert.match(a?.reasons[0]?.message ?? '', /1\.4\.0 is already released \(release tag a-1\.4\.0\)/);
  });
});

describe('detectChanges', () => {
  it('keeps helmignored files and files outside charts from counting', async () => {
    const r = repo();
    const base = r.commit('init', { ...chartFiles('charts/a', 'a', '1.0.0'), 'charts/a/.helmignore': 'docs/\n*.bak\n' });
    r.commit('docs', { 'charts/a/docs/guide.md': 'x\n', 'charts/a/values.bak': 'x\n', 'charts/notachart.txt': 'x\n' });
    const counted = r.commit('fix', { 'charts/a/values.yaml': 'y: 1\n' });
    const changes = await detectChanges({ git: createGit(r.dir), root: r.dir, charts: [{ name: 'a', path: 'charts/a' }], base, isChartDir: () => true });
    const touching = changes.charts.get('a')?.touching.map((i) => changes.commits[i]?.sha);
    assert.deepEqual(touching, [counted]);
    assert.equal(changes.charts.get('a')?.previousVersion, '1.0.0');
  });

  it('counts a change to what a chart links to: another chart\'s file, a shared directory; not through a helmignored link, nor a link out of the repository', async () => {
    const r = repo();
    r.commit('init', { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0'), ...chartFiles('charts/c', 'c', '1.0.0'), 'charts/c/.helmignore': 'docs\n', 'shared/x/one.tpl': '1\n' });
    symlinkSync('../../b/templates/deployment.yaml', join(r.dir, 'charts/a/templates/from-b.yaml'));
    symlinkSync('../../shared/x', join(r.dir, 'charts/b/x'));
    symlinkSync('../../shared', join(r.dir, 'charts/c/docs'));
    symlinkSync('/etc', join(r.dir, 'charts/c/etc'));
    const base = r.commit('links');
    const viaB = r.commit('fix: b', { 'charts/b/templates/deployment.yaml': 'kind: Deployment\n# 2\n' });
    const viaShared = r.commit('fix: shared', { 'shared/x/one.tpl': '2\n' });
    r.commit('fix: elsewhere', { 'shared/other.txt': 'x\n' });
    const charts = ['a', 'b', 'c'].map((name) => ({ name, path: `charts/${name}` }));
    const changes = await detectChanges({ git: createGit(r.dir), root: r.dir, charts, base, isChartDir: () => true });
    const touching = (name: string) => changes.charts.get(name)?.touching.map((i) => changes.commits[i]?.sha);
    assert.deepEqual([touching('a'), touching('b'), touching('c')], [[viaB], [viaShared, viaB], []]);
  });
});
