// bench/publish: 100 changed charts end to end (plan → package → sign → push) to a local docker-registry.
// Prints wall time and HTTP requests; asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from 'openpgp';
import { publish } from '../src/pipeline/publish.js';
import { silentLog } from '../src/pipeline/log.js';
import { startRegistry } from '../test/helpers/registry.js';

const CHARTS = Number(process.env['BENCH_CHARTS'] ?? 100);
const work = mkdtempSync(join(tmpdir(), 'chartship-bench-publish-'));
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: work, env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' } });

const registry = await startRegistry({ auth: 'none' });
try {
  git('init', '-q', '-b', 'main');
  for (let i = 0; i < CHARTS; i++) {
    const dir = join(work, 'charts', `chart-${i}`);
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: chart-${i}\nversion: 1.0.0\ndescription: bench chart ${i}\n`);
    writeFileSync(join(dir, 'values.yaml'), `replicas: ${i}\nimage: example/app-${i}\n`);
    writeFileSync(join(dir, 'templates', 'deployment.yaml'), `kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-${i}\n`);
  }
  git('add', '.');
  git('commit', '-qm', 'chore: initial');
  const base = git('rev-parse', 'HEAD').toString().trim();
  for (let i = 0; i < CHARTS; i++) writeFileSync(join(work, 'charts', `chart-${i}`, 'values.yaml'), `replicas: ${i + 1}\n`);
  git('add', '.');
  git('commit', '-qm', 'feat: scale every chart');

  const { privateKey } = await generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs: [{ name: 'Bench', email: 'bench@example.com' }], format: 'armored' });
  const options = {
    cwd: work,
    base,
    head: 'HEAD',
    targets: [`oci://${registry.host}/bench`],
    target: { plainHttp: true },
    signKey: { armoredKey: privateKey },
    concurrency: 8,
  };

  for (const round of ['first publish', 'rerun (all unchanged)']) {
    if (round !== 'first publish') git('checkout', '-q', '--', '.');
    const started = performance.now();
    const outcome = await publish(options, silentLog);
    const seconds = (performance.now() - started) / 1000;
    const statuses = outcome.results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    console.log(
      `${round}: ${CHARTS} signed charts in ${seconds.toFixed(2)} s (${(seconds * 1000 / CHARTS).toFixed(1)} ms/chart), ` +
        `${outcome.requests} HTTP requests (${(outcome.requests / CHARTS).toFixed(2)} per chart), statuses ${JSON.stringify(statuses)}`,
    );
  }
} finally {
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
}
