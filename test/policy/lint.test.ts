import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PolicyReport } from '../../src/model/policy.js';
import { runBundledCli } from '../helpers/cli.js';
import { createRepo } from '../helpers/git.js';
import { envWithHelm, HELM_MAJORS } from '../helpers/helm.js';
import { ALLOWED_REGISTRY, compliantChart, FAILING } from './charts.js';

const RENDERING = ['image-registry-configurable', 'image-pull-secrets-configurable', 'immutable-image-tags', 'no-external-registry'];

const repo = createRepo('chartship-lint-');
const scratch = mkdtempSync(join(tmpdir(), 'chartship-lint-out-'));
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const files: Record<string, string> = {
  ...compliantChart('charts/good', 'good'),
  '.chartship.yaml': `policy:\n  rules:\n    no-external-registry:\n      allowed-registries: [${ALLOWED_REGISTRY}]\n`,
};
for (const failing of Object.values(FAILING)) Object.assign(files, failing.files(`charts/${failing.name}`));
repo.commit('feat: charts', files);

/** `chartship lint` as users run it: the bundled CLI in a child process, with only PATH (helm's: envWithHelm()) and HOME from here. */
async function lint(args: string[], helm: NodeJS.ProcessEnv) {
  const run = await runBundledCli(['lint', ...args], { cwd: repo.dir, env: { ...helm, HOME: scratch } });
  return run;
}

async function lintJson(args: string[], helm: NodeJS.ProcessEnv): Promise<{ code: number; report: PolicyReport & { invalid: string[] }; stderr: string }> {
  const run = await lint([...args, '--json'], helm);
  return { code: run.code, report: JSON.parse(run.stdout) as PolicyReport & { invalid: string[] }, stderr: run.stderr };
}

describe('chartship lint', () => {
  for (const major of HELM_MAJORS) {
    it(`with helm ${major} on PATH: the compliant chart passes, each other chart fails its rule alone, at its file:line:col`, async () => {
      const { code, report, stderr } = await lintJson([], envWithHelm(major));
      assert.equal(code, 1, stderr);
      assert.match(report.renderer ?? '', new RegExp(`^helm v${major}\\.`));
      const byName = new Map(report.charts.map((c) => [c.chart, c]));
      assert.deepEqual(byName.get('good'), { chart: 'good', path: 'charts/good', findings: [], notChecked: [] });
      for (const [rule, failing] of Object.entries(FAILING)) {
        const chart = byName.get(failing.name)!;
        assert.deepEqual([...new Set(chart.findings.map((f) => f.rule))], [rule], `${failing.name}: ${JSON.stringify(chart.findings)}`);
        const first = chart.findings[0]!;
        assert.equal(`${first.file}:${first.line}:${first.column}`, `charts/${failing.name}/${failing.where}`, first.message);
        assert.match(first.message, failing.says);
        assert.equal(first.severity, 'error');
      }
      // Every workload's images count, the CronJob's too, each on its own template line.
      assert.deepEqual(
        byName.get(FAILING['no-external-registry'].name)!.findings.map((f) => `${f.file}:${f.line}:${f.column}`),
        ['charts/external/templates/deployment.yaml:18:11', 'charts/external/templates/deployment.yaml:21:11', 'charts/external/templates/cronjob.yaml:15:15'],
      );
      // helm refuses to render values its schema rejects: the rules that render say so rather than pass.
      const bad = byName.get(FAILING['values-schema'].name)!;
      assert.deepEqual(bad.notChecked.map((n) => n.rule).sort(), [...RENDERING].sort());
      assert.match(bad.notChecked[0]!.reason, /could not render the chart.*replicaCount/);
      for (const name of ['good', ...Object.values(FAILING).map((f) => f.name).filter((n) => n !== bad.chart)]) {
        assert.deepEqual(byName.get(name)!.notChecked, [], name);
      }
    });
  }

  it('renders a chart with its file:// dependency, and puts a finding of the dependency on its own template', async () => {
    const sub = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  containers:\n    - name: probe\n      image: registry.acme.example/tools/probe:stable\n';
    repo.commit('feat: a chart with a local dependency', {
      ...compliantChart('deps/app', 'app'),
      'deps/app/Chart.yaml': `${repo.read('charts/good/Chart.yaml').replace('name: good', 'name: app')}dependencies:\n  - name: probe\n    version: 0.1.0\n    repository: file://../probe\n`,
      'deps/probe/Chart.yaml': 'apiVersion: v2\nname: probe\nversion: 0.1.0\n',
      'deps/probe/templates/pod.yaml': sub,
    });
    const { report } = await lintJson(['deps/app', '--policy', '.chartship.yaml'], envWithHelm(3));
    const findings = report.charts[0]!.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);
    assert.deepEqual(findings.sort(), [
      'image-pull-secrets-configurable deps/probe/templates/pod.yaml:6:3',
      'image-registry-configurable deps/probe/templates/pod.yaml:8:14',
      'immutable-image-tags deps/probe/templates/pod.yaml:8:14',
    ]);
  });

  it('a templated image written before a literal one is found on its own line, whichever container list comes first', async () => {
    const pod = [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: probe', 'spec:', '  imagePullSecrets: {{ toYaml .Values.global.imagePullSecrets }}', '  containers:',
      '    - name: probe', '      image: {{ .Values.global.registryPath }}/acme/probe:latest', '  initContainers:', '    - name: tools',
      `      image: ${ALLOWED_REGISTRY}/acme/tools:1.0.0`, '',
    ].join('\n');
    repo.commit('feat: containers before initContainers', { ...compliantChart('order/probe', 'probe'), 'order/probe/templates/probe.yaml': pod });
    const { report } = await lintJson(['order/probe', '--policy', '.chartship.yaml'], envWithHelm(3));
    const found = report.charts[0]!.findings.filter((f) => f.rule === 'immutable-image-tags').map((f) => `${f.file}:${f.line}:${f.column}`);
    assert.deepEqual(found, ['order/probe/templates/probe.yaml:9:7']);
  });

  for (const major of HELM_MAJORS) {
    it(`with helm ${major}: a NOTES.txt that fails on changed images, the chart's or a subchart's, hides nothing from the check`, async () => {
      // As bitnami's guard against substituted images: helm template renders NOTES.txt but never prints it.
      const guard = (name: string) => `{{- if ne .Values.global.registryPath "${ALLOWED_REGISTRY}" }}{{ fail "${name}: original containers have been substituted" }}{{- end }}\n`;
      repo.commit(`feat: charts whose notes refuse other images (helm ${major})`, {
        ...compliantChart(`guard${major}/noted`, 'noted'),
        ...compliantChart(`guard${major}/noted-sub`, 'noted-sub'),
        [`guard${major}/noted/Chart.yaml`]: `${repo.read('charts/good/Chart.yaml').replace('name: good', 'name: noted')}dependencies:\n  - name: noted-sub\n    version: 1.0.0\n    repository: file://../noted-sub\n`,
        [`guard${major}/noted/templates/NOTES.txt`]: guard('noted'),
        [`guard${major}/noted-sub/templates/NOTES.txt`]: guard('noted-sub'),
      });
      const { report } = await lintJson([`guard${major}/noted`, '--policy', '.chartship.yaml'], envWithHelm(major));
      assert.deepEqual(report.charts[0], { chart: 'noted', path: `guard${major}/noted`, findings: [], notChecked: [] });
    });

    it(`with helm ${major}: a finding is on the line its image and pod spec come from when an \`if\` leaves the first ones out`, async () => {
      const pods = [
        '{{- if .Values.debug }}', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: debug', 'spec:', '  containers:', '    - name: debug',
        '      image: {{ .Values.global.registryPath }}/acme/debug:1.0.0', '---', '{{- end }}', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: app',
        'spec:', '  containers:', '    - name: app', '      image: {{ .Values.global.registryPath }}/acme/app:latest', '',
      ].join('\n');
      repo.commit(`feat: a pod behind a false if (helm ${major})`, { ...compliantChart(`skip${major}/app`, 'app'), [`skip${major}/app/templates/pods.yaml`]: pods });
      const { report } = await lintJson([`skip${major}/app`, '--policy', '.chartship.yaml'], envWithHelm(major));
      const found = report.charts[0]!.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);
      assert.deepEqual(found.sort(), [`image-pull-secrets-configurable skip${major}/app/templates/pods.yaml:17:3`, `immutable-image-tags skip${major}/app/templates/pods.yaml:19:7`]);
    });
  }

  it('a chart whose dependency cannot be had is not checked, with the line in the repository that asks for it', async () => {
    // As bitnami's and sapcc's charts with a registry out of reach: the reason named the runner's absolute path.
    repo.commit('feat: a chart with a dependency nowhere', {
      ...compliantChart('deps/needs', 'needs'),
      'deps/needs/Chart.yaml': `${repo.read('charts/good/Chart.yaml').replace('name: good', 'name: needs')}dependencies:\n  - name: gone\n    version: 1.0.0\n`,
    });
    const { report } = await lintJson(['deps/needs', '--policy', '.chartship.yaml'], envWithHelm(3));
    const reasons = [...new Set(report.charts[0]!.notChecked.map((n) => n.reason))];
    assert.equal(reasons.length, 1, reasons.join('\n'));
    assert.match(reasons[0]!, /^not rendered: deps\/needs\/Chart\.yaml:\d+:\d+: dependencies\[0\]: gone is missing from charts\//);
  });

  for (const major of HELM_MAJORS) {
    it(`with helm ${major}: a chart that needs a newer Kubernetes than helm's default is rendered for one it accepts, not left unchecked`, async () => {
      // helm template checks kubeVersion against its built-in Kubernetes (v1.32 for helm 3.17) and refuses the chart;
      // a cluster of that version would be refused as well, so the chart is checked as rendered for one it accepts.
      const moving = FAILING['immutable-image-tags'];
      const dir = `kube${major}/${moving.name}`;
      const files = moving.files(dir);
      files[`${dir}/Chart.yaml`] = files[`${dir}/Chart.yaml`]!.replace(/^kubeVersion: .*$/m, 'kubeVersion: ">=1.45.0-0 <1.47.0"');
      assert.match(files[`${dir}/Chart.yaml`]!, /1\.45/);
      repo.commit('feat: a chart for newer clusters', files);
      const { report } = await lintJson([dir, '--policy-allowed-registries', ALLOWED_REGISTRY], envWithHelm(major));
      const chart = report.charts[0]!;
      assert.deepEqual(chart.notChecked, []);
      assert.deepEqual(
        chart.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`),
        [`immutable-image-tags ${dir}/${moving.where}`],
      );
    });
  }

  it('without helm on PATH, the rules that render are reported as not checked, and the others still run', async () => {
    const run = await lint([], { PATH: '/usr/bin:/bin' });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^not checked: image-registry-configurable, image-pull-secrets-configurable, immutable-image-tags, no-external-registry for bad-values, bare, external, fixed-registry, good, moving-tag, no-secrets: helm is not on PATH: this rule renders the chart with `helm template`$/m);
    assert.match(run.stdout, /^charts\/bad-values\/values\.yaml:12:1: error: values-schema: values\.yaml does not match values\.schema\.json: replicaCount must be integer$/m);
    assert.match(run.stdout, /^charts\/bare\/Chart\.yaml:1:1: error: chart-metadata: Chart\.yaml has no description/m);
    assert.doesNotMatch(run.stdout, /error: (image-|immutable-|no-external)/);
  });

  it('--exclude leaves charts out by name and by directory glob, as plan and publish do', async () => {
    const { report } = await lintJson(['--exclude', 'bare', '--exclude', 'charts/bad-*', '--exclude', 'charts/moving-*'], { PATH: '/usr/bin:/bin' });
    const linted = report.charts.map((c) => c.chart);
    assert.ok(linted.includes('good') && linted.includes('external'), linted.join(', '));
    assert.deepEqual(linted.filter((name) => name === 'bare' || name.startsWith('bad-') || name.startsWith('moving-')), []);
  });

  it('takes chart directories and a policy file; severities and per-chart overrides decide the exit code', async () => {
    repo.write('policy.yaml', ['policy:', '  rules:', '    chart-metadata: warning', '  charts:', '    - match: moving-*', '      rules:', '      immutable-image-tags: {severity: warning, mutable-tags: [edge]}', ''].join('\n'));
    // A rule at the wrong depth (beside `rules:`, not in it) is refused, at the first line that is wrong.
    const refused = await lint(['--policy', 'policy.yaml'], envWithHelm(4));
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'Error: policy.yaml:6:7: policy.charts[0].rules: must be a mapping, got empty\n');

    repo.write('policy.yaml', ['policy:', '  rules:', '    chart-metadata: warning', '  charts:', '    - match: moving-*', '      rules:', '        immutable-image-tags: {mutable-tags: [edge]}', ''].join('\n'));
    const { code, report } = await lintJson(['./charts/bare/', join(repo.dir, 'charts/moving-tag'), '--policy', 'policy.yaml'], envWithHelm(4));
    assert.equal(code, 0, JSON.stringify(report));
    assert.deepEqual(report.charts.map((c) => c.chart).sort(), ['bare', 'moving-tag']);
    const bare = report.charts.find((c) => c.chart === 'bare')!;
    assert.deepEqual([...new Set(bare.findings.map((f) => `${f.rule} ${f.severity}`))], ['chart-metadata warning']);
    // Only `edge` moves for moving-*: its `latest` passes; the allow-list of .chartship.yaml is not read with --policy.
    assert.deepEqual(report.charts.find((c) => c.chart === 'moving-tag')!.findings, []);
    assert.match(report.charts.find((c) => c.chart === 'moving-tag')!.notChecked[0]?.reason ?? '', /no allowed registries are configured \(allowed-registries in \.chartship\.yaml, or the policy-allowed-registries input of the action, --policy-allowed-registries of the CLI\)/);
    const allowed = await lintJson(['charts/moving-tag', '--policy', 'policy.yaml', '--policy-allowed-registries', ALLOWED_REGISTRY], envWithHelm(3));
    assert.deepEqual(allowed.report.charts[0], { chart: 'moving-tag', path: 'charts/moving-tag', findings: [], notChecked: [] });
  });

  it('a typo in .chartship.yaml fails at its key', async () => {
    repo.write('.chartship.yaml', 'policy:\n  rulez: {}\n');
    try {
      const run = await lint(['charts/good'], { PATH: '/usr/bin:/bin' });
      assert.equal(run.code, 1);
      assert.equal(run.stderr, 'Error: .chartship.yaml:2:3: policy.rulez: unknown key (did you mean "rules"? known keys here: rules, charts)\n');
    } finally {
      repo.git('checkout', '--', '.chartship.yaml');
    }
  });

  it('with --registry, a version published with other content is a chart-metadata finding on its version line', async () => {
    const layout = join(scratch, 'layout');
    const env = { PATH: '/usr/bin:/bin', HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    const published = await runBundledCli(['publish', '--cwd', repo.dir, '--charts', 'charts/good', '--registry', `oci-layout:${layout}`, '--version-bump', 'none', '--policy', 'off'], {
      cwd: scratch,
      env,
    });
    assert.equal(published.code, 0, published.stderr);
    const same = await lintJson(['charts/good', '--registry', `oci-layout:${layout}`], { PATH: '/usr/bin:/bin' });
    assert.deepEqual(same.report.charts[0]!.findings, [], 'the same content at the same version passes');

    repo.commit('fix(good): a longer cleanup', { 'charts/good/templates/cronjob.yaml': repo.read('charts/good/templates/cronjob.yaml').replace('"0 3 * * *"', '"0 4 * * *"') });
    const changed = await lintJson(['charts/good', '--registry', `oci-layout:${layout}`], { PATH: '/usr/bin:/bin' });
    assert.equal(changed.code, 1);
    const finding = changed.report.charts[0]!.findings[0]!;
    assert.equal(`${finding.rule} ${finding.file}:${finding.line}:${finding.column}`, 'chart-metadata charts/good/Chart.yaml:5:1');
    assert.equal(finding.message, `version 1.0.0 is already published in oci-layout:${layout} with other content: the chart changed without a version bump`);
  });
});
