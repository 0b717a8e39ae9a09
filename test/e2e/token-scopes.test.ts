/**
 * Token registries (GHCR, Docker Hub, Harbor, Quay, GitLab, distribution's token auth): a publish asks one token per
 * chart, `pull,push`, for the plan's read and the push alike, as docker and helm ask for what they push. A dry run
 * asks for no push rights, and a token server that refuses a push token outright (instead of issuing a narrower
 * one) still lets the plan read, and fails the run at the push check as before. Real docker-registry, its token
 * server, the bundled CLI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const CHARTS = 6;

/** A repository whose one commit adds `CHARTS` charts at 1.0.0. */
function charts(): TestRepo {
  const repo = createRepo();
  const files: Record<string, string> = {};
  for (let i = 0; i < CHARTS; i++) Object.assign(files, chartFiles(`charts/c${i}`, `c${i}`, '1.0.0'));
  repo.commit('feat: charts', files);
  return repo;
}

function publish(registry: TestRegistry, repo: TestRepo, namespace: string, user: { username: string; password: string }, extra: string[] = []) {
  return runBundledCli(['publish', '--registry', `oci://${registry.host}/${namespace}`, '--plain-http', '--json', ...extra], {
    cwd: repo.dir,
    env: { HOME: repo.dir, CHARTSHIP_USERNAME: user.username, CHARTSHIP_PASSWORD: user.password },
  });
}

/** The scopes of the token requests made since `from`, with their answers. */
function asked(registry: TestRegistry, from: number): string[] {
  return registry.tokenRequests().slice(from).map((r) => `${r.scopes.join(' ')} ${r.status}`);
}

describe('a token registry that issues narrower tokens (distribution, Docker Hub, Harbor)', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'token' });
  });
  after(() => registry?.stop());

  it('a publish asks one token per chart, pull,push, for the plan and the push; a dry run asks pull only', async () => {
    const repo = charts();
    try {
      const user = { username: registry.username!, password: registry.password! };
      const start = registry.tokenRequests().length;
      const dry = await publish(registry, repo, 'dry', user, ['--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      const dryAsked = asked(registry, start);
      assert.deepEqual(dryAsked.filter((a) => a.includes('push')), [], 'a dry run asks for no push rights');
      assert.equal(new Set(dryAsked).size, CHARTS, dryAsked.join('\n'));

      const before = registry.tokenRequests().length;
      const run = await publish(registry, repo, 'real', user);
      assert.equal(run.code, 0, run.stderr);
      const statuses = (JSON.parse(run.stdout) as { charts: { status: string }[] }).charts.map((c) => c.status);
      assert.deepEqual(statuses, Array(CHARTS).fill('pushed'));
      const tokens = asked(registry, before);
      const expected = Array.from({ length: CHARTS }, (_, i) => `repository:real/c${i}:pull,push 200`);
      assert.deepEqual([...tokens].sort(), expected, 'one pull,push token per chart, none for pull alone');
    } finally {
      repo.cleanup();
    }
  });
});

describe('a token server that refuses a push token outright', () => {
  let registry: TestRegistry;
  const reader = { username: 'reader', password: `pw-${Math.random().toString(36).slice(2)}` };
  before(async () => {
    registry = await startRegistry({
      auth: 'token',
      users: { chartship: `pw-${Math.random().toString(36).slice(2)}`, reader: reader.password },
      token: { refuse: (user, _repository, actions) => user === 'reader' && actions.includes('push') },
    });
    // Something for the plan to read: c0 is published already.
    const seed = openTarget(`oci://${registry.host}/ns`, { plainHttp: true, username: registry.username, password: registry.password, env: { HOME: '/nonexistent' } });
    await seed.pushChart({ archive: chartArchive({ name: 'c0', version: '1.0.3' }) });
    await seed.close();
  });
  after(() => registry?.stop());

  it('the plan still reads with pull tokens, and the publish fails at the push check naming the refusal', async () => {
    const repo = charts();
    try {
      const start = registry.tokenRequests().length;
      const dry = await publish(registry, repo, 'ns', reader, ['--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.doesNotMatch(dry.stderr, /could not list/, 'the plan read the registry');
      assert.deepEqual(asked(registry, start).filter((a) => !a.endsWith(' 200')), [], 'a dry run asks nothing the server refuses');

      const before = registry.tokenRequests().length;
      const run = await publish(registry, repo, 'ns', reader);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /nothing was published, because not every registry would take a push/);
      assert.match(run.stderr, /the token server refused the credentials of user "reader"/);
      assert.doesNotMatch(run.stderr, /could not list/, 'the plan read the registry');
      assert.ok(!run.stderr.includes(reader.password), 'no password printed');
      const tokens = asked(registry, before);
      // One refused push token turns the widening off for the run; every read then asks pull alone.
      const reads = tokens.filter((t) => t.endsWith(':pull 200'));
      assert.equal(new Set(reads).size, CHARTS, tokens.join('\n'));
      assert.ok(tokens.filter((t) => t.includes('pull,push') && t.endsWith(' 403')).length <= 3, tokens.join('\n'));
    } finally {
      repo.cleanup();
    }
  });
});
