/**
 * What the default policy costs a publish of many charts on a runner with helm on PATH: `helm template` starts once
 * per batch of charts, not once per chart or per quiet moment. The charts are checked while they are packaged, each
 * asking as its other checks finish; the batch leaves when every chart being checked has asked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { createRepo } from '../helpers/git.js';
import { helmCallLog } from '../helpers/helm.js';

const CHARTS = 60;
const scratch = mkdtempSync(join(tmpdir(), 'chartship-policy-helm-'));
const repo = createRepo('chartship-policy-helm-repo-');
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const name = (i: number) => `svc-${i}`;
/** A chart whose image has a mutable tag (found in the rendering with its own values) and whose pod spec takes no pull secret (found in the rendering with the sentinels). */
function chart(i: number): Record<string, string> {
  const dir = `charts/${name(i)}`;
  return {
    [`${dir}/Chart.yaml`]: `apiVersion: v2\nname: ${name(i)}\nversion: 1.0.0\n`,
    [`${dir}/values.yaml`]: 'image:\n  registry: docker.io\n  tag: latest\n',
    [`${dir}/templates/deployment.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name(i)}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image.registry }}/acme/${name(i)}:{{ .Values.image.tag }}"\n`,
  };
}

describe('the default policy in a publish of many charts', () => {
  it(`renders ${CHARTS} changed charts, each with its own values and with the sentinels, in two helm processes`, { timeout: 120_000 }, async () => {
    const base = repo.commit('chore: the charts', Object.assign({}, ...Array.from({ length: CHARTS }, (_, i) => chart(i))) as Record<string, string>);
    repo.commit('feat: two replicas', Object.fromEntries(Array.from({ length: CHARTS }, (_, i) => [`charts/${name(i)}/values.yaml`, 'replicas: 2\nimage:\n  registry: docker.io\n  tag: latest\n'])));
    const helm = helmCallLog(scratch, 3);
    const run = await runBundledCli(['publish', '--base', base, '--registry', `oci-layout:${join(scratch, 'layout')}`, '--json'], {
      cwd: repo.dir,
      env: { PATH: `${helm.bin}${delimiter}${process.env['PATH'] ?? ''}`, HOME: scratch },
    });
    assert.equal(run.code, 0, run.stderr);
    const outcome = JSON.parse(run.stdout) as { pushed: number; policy: { renderer: string; charts: { chart: string; findings: { rule: string; message: string }[] }[] } };
    assert.equal(outcome.pushed, CHARTS);
    assert.equal(outcome.policy.renderer, 'helm v3.17.3');

    // Every chart was rendered both ways: each rendering's own finding is there, for every chart.
    const found = (rule: string) => outcome.policy.charts.filter((c) => c.findings.some((f) => f.rule === rule)).map((c) => c.chart).sort();
    const all = Array.from({ length: CHARTS }, (_, i) => name(i)).sort();
    assert.deepEqual(found('immutable-image-tags'), all);
    assert.deepEqual(found('image-pull-secrets-configurable'), all);
    assert.match(outcome.policy.charts[0]!.findings.find((f) => f.rule === 'immutable-image-tags')!.message, /^image docker\.io\/acme\/svc-\d+:latest \(Deployment svc-\d+\) has the mutable tag "latest"/);

    // `helm version` once, then one umbrella of the 60 charts with their own values and one with the sentinels (a
    // chart's two renderings cannot share an umbrella: values are scoped by chart name). Before, batches left after
    // a quiet 10 ms while charts were still being packaged: 7 to 9 `helm template` here.
    const calls = helm.calls();
    const commands = calls.map((c) => c.split(' ')[0]);
    const said = calls.map((c) => c.slice(0, 120)).join('\n');
    assert.deepEqual(commands.filter((c) => c !== 'template'), ['version'], said);
    assert.equal(commands.filter((c) => c === 'template').length, 2, said);
  });
});
