import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { batchRenders } from '../../src/policy/render-batch.js';
import { findHelm } from '../../src/policy/helm-renderer.js';
import type { Renderer, SetValue } from '../../src/policy/render.js';
import { HELM_MAJORS, isolatedHelm, pathWithHelm } from '../helpers/helm.js';
import { compliantChart, FAILING } from './charts.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-render-batch-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
}

const chartYaml = (name: string, extra = '') => `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n${extra}`;
const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Chart.Name }}\nspec:\n  containers:\n    - name: app\n      image: ${image}\n`;

/**
 * Charts where rendering with others could go wrong if the batch rules were not kept: each is rendered both ways
 * below, and the two answers must be the same.
 */
write({
  // The same template name, defined differently: whichever helm loads last would win for both.
  'twin-a/Chart.yaml': chartYaml('twin-a'),
  'twin-a/templates/_image.tpl': '{{- define "shared.image" -}}example.com/twin:a{{- end -}}\n',
  'twin-a/templates/pod.yaml': pod('{{ include "shared.image" . }}'),
  'twin-b/Chart.yaml': chartYaml('twin-b'),
  'twin-b/templates/_image.tpl': '{{- define "shared.image" -}}example.com/twin:b{{- end -}}\n',
  'twin-b/templates/pod.yaml': pod('{{ include "shared.image" . }}'),
  // A template its .helmignore leaves out: helm applies only the top chart's .helmignore to a directory it loads.
  'ignoring/Chart.yaml': chartYaml('ignoring'),
  'ignoring/.helmignore': 'templates/extra.yaml\n',
  'ignoring/templates/pod.yaml': pod('example.com/kept:1'),
  'ignoring/templates/extra.yaml': pod('example.com/ignored:latest'),
  // One template printing two documents: the second has no `# Source:` line of its own.
  'multidoc/Chart.yaml': chartYaml('multidoc'),
  'multidoc/values.yaml': 'image:\n  registry: docker.io\n',
  'multidoc/templates/pods.yaml': `${pod('{{ .Values.image.registry }}/one:1')}---\n${pod('{{ .Values.image.registry }}/two:2')}`,
  // helm refuses to render it: the batch it is in fails, and it must get helm's own message for it alone.
  'refused/Chart.yaml': chartYaml('refused'),
  'refused/templates/pod.yaml': pod('{{ required "image.tag is required" .Values.image.tag }}'),
  // Reads global without declaring it: alone it fails (no .Values.global), as a subchart it would render.
  'globalless/Chart.yaml': chartYaml('globalless'),
  'globalless/templates/pod.yaml': pod('{{ .Values.global.registry }}/app:1'),
  // A kubeVersion helm's default cluster does not meet: only the top chart's is checked.
  'future/Chart.yaml': chartYaml('future', 'kubeVersion: ">=99.0.0"\n'),
  'future/templates/pod.yaml': pod('example.com/future:1'),
  // A strict schema: a subchart's values always carry `global`.
  'strict/Chart.yaml': chartYaml('strict'),
  'strict/values.schema.json': JSON.stringify({ type: 'object', additionalProperties: false, properties: { image: { type: 'object' }, imagePullSecrets: { type: 'array' } } }),
  'strict/values.yaml': 'image:\n  repository: example.com/strict\n',
  'strict/templates/pod.yaml': pod('{{ .Values.image.repository }}:1'),
  'root-only/Chart.yaml': chartYaml('root-only'),
  'root-only/templates/pod.yaml': pod('{{ if .Chart.IsRoot }}example.com/root:1{{ else }}example.com/sub:1{{ end }}'),
  ...compliantChart('good', 'good'),
  ...Object.fromEntries(Object.values(FAILING).flatMap((f) => Object.entries(f.files(f.name)))),
});
const written = ['twin-a', 'twin-b', 'ignoring', 'multidoc', 'refused', 'globalless', 'future', 'strict', 'root-only', 'good', ...Object.values(FAILING).map((f) => f.name)];

const PLAIN: SetValue[] = [];
const SENTINEL: SetValue[] = [
  { path: 'image.registry', value: 'registry.chartship-sentinel.invalid' },
  { path: 'global.registryPath', value: 'registry.chartship-sentinel.invalid' },
  { path: 'imagePullSecrets', value: [{ name: 'chartship-sentinel' }] },
];

type Answer = { text: string } | { error: string };
const answer = (p: PromiseSettledResult<string>): Answer => (p.status === 'fulfilled' ? { text: p.value } : { error: (p.reason as Error).message });

describe('rendering many charts with few helm processes', () => {
  for (const major of HELM_MAJORS) {
    it(`with helm ${major}: every chart renders exactly as it does alone, with a fraction of the processes`, async () => {
      const helm = isolatedHelm(major);
      try {
        const created = ['made-1', 'made-2', 'made-3'];
        mkdirSync(join(scratch, `h${major}`));
        for (const name of created) await helm.run(['create', join(scratch, `h${major}`, name)]);
        const charts = [...written.map((c) => join(scratch, c)), ...created.map((c) => join(scratch, `h${major}`, c))];
        const real = await findHelm({ PATH: pathWithHelm(major), HOME: helm.home, HELM_CACHE_HOME: join(helm.home, 'cache'), HELM_CONFIG_HOME: join(helm.home, 'config') });
        assert.ok(real, 'helm is on PATH');
        let processes = 0;
        const counted: Renderer = { name: real.name, render: (chart, values) => (processes++, real.render(chart, values)) };
        const renderTogether = async (list: { chart: string; values: SetValue[] }[], windowMs?: number) => {
          const batched = batchRenders(counted, { windowMs });
          return (await Promise.allSettled(list.map((j) => batched.render(j.chart, j.values)))).map(answer);
        };

        const jobs = charts.flatMap((chart) => [{ chart, values: PLAIN }, { chart, values: SENTINEL }]);
        const together = await renderTogether(jobs);
        const alone: Answer[] = [];
        for (let i = 0; i < jobs.length; i += 4) {
          alone.push(...(await Promise.allSettled(jobs.slice(i, i + 4).map((j) => real.render(j.chart, j.values)))).map(answer));
        }

        for (const [i, j] of jobs.entries()) assert.deepEqual(together[i], alone[i], `${j.chart} with ${JSON.stringify(j.values)}`);
        // The comparison is about something: the cases above really render, or really fail, alone.
        const byChart = (name: string, values = PLAIN) => alone[jobs.findIndex((j) => j.chart.endsWith(`/${name}`) && j.values === values)]!;
        assert.match(JSON.stringify(byChart('twin-a')), /example\.com\/twin:a/);
        assert.match(JSON.stringify(byChart('twin-b')), /example\.com\/twin:b/);
        assert.doesNotMatch(JSON.stringify(byChart('ignoring')), /ignored/);
        assert.match(JSON.stringify(byChart('multidoc', SENTINEL)), /sentinel\.invalid\/two:2/);
        assert.match(JSON.stringify(byChart('root-only')), /root:1/);
        for (const failing of ['refused', 'globalless', 'future']) assert.ok('error' in byChart(failing), `${failing} fails alone`);
        assert.match(JSON.stringify(byChart('made-1')), /image: \\"nginx:/);
        // A chart whose kubeVersion helm's cluster does not meet, behind one without: the umbrella must not drop it.
        // (A long window: both are queued before a batch starts.)
        const pair = [jobs.findIndex((j) => j.chart.endsWith('/twin-a')), jobs.findIndex((j) => j.chart.endsWith('/future'))];
        assert.deepEqual(await renderTogether(pair.map((i) => jobs[i]!), 1000), pair.map((i) => alone[i]));

        // Charts that render alone, rendered together: a few processes. (A chart helm refuses costs its batch a retry
        // in halves, so the count above says nothing.) Of these 29+ renderings, strict and root-only render alone by
        // rule (4); the rest need 2 kubeVersions × 2 value sets, and twin-b's clash 2 more: at most 10 processes.
        const rendering = jobs.filter((_, i) => 'text' in alone[i]!);
        processes = 0;
        const again = await renderTogether(rendering, 1000);
        assert.deepEqual(again, alone.filter((a) => 'text' in a));
        assert.ok(rendering.length >= 20 && processes <= 10, `${processes} helm processes for ${rendering.length} renderings`);
      } finally {
        helm.cleanup();
      }
    });
  }
});
