/**
 * One chart's repository the registry will not let this login read (GHCR's package created by another repository,
 * a Harbor or Quay repository with its own permissions), in a target that serves every other chart: that refusal is
 * about one chart. A real docker-registry with its token server granting nothing on that repository.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import type { Log } from '../../src/pipeline/log.js';
import { publish } from '../../src/pipeline/publish.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const DENIED = 'a-legacy';
const OUTSIDER = `pw-${Math.random().toString(36).slice(2)}`;
let registry: TestRegistry;
before(async () => {
  registry = await startRegistry({
    auth: 'token',
    users: { chartship: `pw-${Math.random().toString(36).slice(2)}`, outsider: OUTSIDER },
    // The outsider may read nothing, as a fork's pull request with no credentials of the registry's.
    token: { grant: (user, repository, actions) => (user === 'outsider' || repository.endsWith(`/${DENIED}`) ? [] : actions) },
  });
});
after(() => registry?.stop());

it('a repository the login may not read fails its own chart alone: the others plan against what the target holds and publish', async () => {
  const credentials = { plainHttp: true, username: registry.username, password: registry.password, env: { HOME: '/nonexistent' } };
  // More charts than are listed at once, so that most are listed after the refusal.
  const names = Array.from({ length: 14 }, (_, i) => `c${String(i).padStart(2, '0')}`);
  const fresh = Array.from({ length: 5 }, (_, i) => `n${i}`);
  // The registry holds each chart at 1.0.5, ahead of the 1.0.0 its Chart.yaml says: only its listing keeps the plan
  // from publishing 1.0.0 below it.
  const seed = openTarget(`oci://${registry.host}/charts`, credentials);
  for (const name of names) await seed.pushChart({ archive: chartArchive({ name, version: '1.0.5' }) });
  await seed.close();
  const repo = createRepo();
  try {
    const files: Record<string, string> = {};
    for (const name of [DENIED, ...names, ...fresh]) Object.assign(files, chartFiles(`charts/${name}`, name, '1.0.0'));
    repo.commit('fix: every chart', files);
    const lines: string[] = [];
    const log: Log = {
      info: (m) => lines.push(m),
      warning: (m) => lines.push(`warning: ${m}`),
      error: (m) => lines.push(`error: ${m}`),
      group: (_title, body) => body(),
    };
    const outcome = await publish({ cwd: repo.dir, targets: [`oci://${registry.host}/charts`], target: credentials, concurrency: 8 }, log);
    const statuses = new Map(outcome.results.map((r) => [r.name, r.status]));
    assert.equal(statuses.get(DENIED), 'failed', lines.join('\n'));
    assert.deepEqual(names.filter((n) => statuses.get(n) !== 'skipped').map((n) => `${n} ${statuses.get(n)}`), [], 'a chart planned without the listing');
    // The push check's first chart is the refused one: the next chart's repository decides for the target.
    assert.deepEqual(fresh.map((n) => statuses.get(n)), fresh.map(() => 'pushed'));
    const listed = openTarget(`oci://${registry.host}/charts`, credentials);
    try {
      for (const name of names) assert.deepEqual(await listed.listVersions(name), ['1.0.5'], `${name}: nothing published below 1.0.5`);
      for (const name of fresh) assert.deepEqual(await listed.listVersions(name), ['1.0.0'], name);
    } finally {
      await listed.close();
    }
    const warnings = lines.filter((l) => /could not list/.test(l));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, new RegExp(`could not list the published versions of ${DENIED} in oci://`));
  } finally {
    repo.cleanup();
  }
});

it('a login that can read no repository of the target leaves the target out after a few charts, with one warning for it', async () => {
  const repo: TestRepo = createRepo();
  try {
    const files: Record<string, string> = {};
    const names = Array.from({ length: 20 }, (_, i) => `o${String(i).padStart(2, '0')}`);
    for (const name of names) Object.assign(files, chartFiles(`charts/${name}`, name, '1.0.0'));
    repo.commit('feat: charts', files);
    const warnings: string[] = [];
    const log: Log = { info: () => {}, warning: (m) => warnings.push(m), error: () => {}, group: (_title, body) => body() };
    const credentials = { plainHttp: true, username: 'outsider', password: OUTSIDER, env: { HOME: '/nonexistent' } };
    const outcome = await publish({ cwd: repo.dir, targets: [`oci://${registry.host}/charts`], target: credentials, concurrency: 1, dryRun: true }, log);
    assert.deepEqual([...new Set(outcome.results.map((r) => r.status))], ['planned'], 'the dry run plans every chart');
    const listing = warnings.filter((w) => /could not list/.test(w));
    assert.equal(listing.filter((w) => /could not list the published versions of o\d+ in/.test(w)).length, 3, listing.join('\n'));
    assert.equal(listing.filter((w) => /could not list the published versions in oci:/.test(w)).length, 1, listing.join('\n'));
    assert.equal(listing.length, 4);
  } finally {
    repo.cleanup();
  }
});
