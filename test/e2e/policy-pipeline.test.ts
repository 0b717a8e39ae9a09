import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { runAction } from '../helpers/action.js';
import { createRepo } from '../helpers/git.js';
import { helmBinary } from '../helpers/helm.js';
import { commitPolicyCharts } from '../policy/charts.js';

const repo = createRepo('chartship-policy-pipeline-');
const scratch = mkdtempSync(join(tmpdir(), 'chartship-policy-pipeline-out-'));
const CHARTS = ['api', 'moving-tag', 'web'];

/**
 * The real helm behind a door: every `helm template` is counted, then waits (at most 60 s) until the test opens the
 * gate. What the policy renders is then under the test's control, and so is what it costs.
 */
function gatedHelm(): { path: string; gate: string; renders: () => number } {
  const dir = join(scratch, 'helm-bin');
  mkdirSync(dir, { recursive: true });
  const gate = join(scratch, 'gate-open');
  const count = join(scratch, 'renders');
  writeFileSync(
    join(dir, 'helm'),
    `#!/bin/sh
if [ "$1" = template ]; then
  echo "$*" >> '${count}'
  i=0
  while [ ! -e '${gate}' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
fi
exec '${helmBinary(4)}' "$@"
`,
  );
  chmodSync(join(dir, 'helm'), 0o755);
  const renders = () => (existsSync(count) ? readFileSync(count, 'utf8').split('\n').filter(Boolean).length : 0);
  return { path: `${dir}${delimiter}${process.env['PATH'] ?? ''}`, gate, renders };
}

describe('the chart policy runs alongside publishing', () => {
  const helm = gatedHelm();
  const layout = join(scratch, 'layout');
  let base = '';
  let head = '';

  before(() => {
    ({ base, head } = commitPolicyCharts(repo));
  });
  after(() => {
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const run = (name: string, inputs: Record<string, string> = {}) =>
    runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event: { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } },
      env: { PATH: helm.path, GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts' },
      inputs: { charts: 'charts/*', registry: `oci-layout:${layout}`, ...inputs },
    });
  const published = async (): Promise<string[]> => {
    const target = openTarget(`oci-layout:${layout}`);
    const versions = await Promise.all(CHARTS.map(async (chart) => ((await target.listVersions(chart).catch(() => [])).length > 0 ? [chart] : [])));
    return versions.flat();
  };

  it('with policy warn the charts are pushed while helm still renders, and the findings still reach the log', async () => {
    const running = run('warn');
    // Every render is held at the gate: a publish that waited for the policy would push nothing until it opens.
    let pushedWhileRendering: string[] = [];
    for (let i = 0; i < 600 && pushedWhileRendering.length < CHARTS.length; i++) {
      await sleep(50);
      pushedWhileRendering = await published();
    }
    const rendersStarted = helm.renders();
    writeFileSync(helm.gate, '');
    const result = await running;
    assert.equal(result.status, 0, result.log);
    assert.deepEqual(pushedWhileRendering, CHARTS, 'every chart was pushed before any render was let through');
    assert.ok(rendersStarted >= 1, 'the policy had started rendering');
    assert.match(result.log, /^::warning (?=[^:]*file=charts\/moving-tag\/templates\/deployment\.yaml)(?=[^:]*title=immutable-image-tags).*::immutable-image-tags: /m);
    assert.ok(result.summary.includes('`charts/moving-tag/templates/deployment.yaml:18:11`'), result.summary);
  });

  it('a rerun over charts already published with the same content renders nothing', async () => {
    const before = helm.renders();
    const rerun = await run('rerun');
    assert.equal(rerun.status, 0, rerun.log);
    assert.equal(helm.renders(), before, 'no helm template on a rerun');
    assert.deepEqual(
      (JSON.parse(rerun.outputs['charts'] ?? '[]') as { name: string; status: string }[]).map((c) => `${c.name} ${c.status}`).sort(),
      CHARTS.map((c) => `${c} unchanged`),
    );
    assert.doesNotMatch(rerun.log, /immutable-image-tags/);
  });
});
