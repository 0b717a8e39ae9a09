import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { batchRenders } from '../../src/policy/render-batch.js';
import { findHelm } from '../../src/policy/helm-renderer.js';
import type { Renderer, SetValue } from '../../src/policy/render.js';
import { envWithHelm, HELM_MAJORS, isolatedHelm } from '../helpers/helm.js';
import { chartYaml as chartYamlOf, writeFiles } from '../package/fixtures.js';
import { compliantChart, FAILING } from './charts.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-render-batch-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A chart using a library chart (vendored in charts/) whose `lib.image` is `image`. */
function usesLibrary(name: string, image: string): Record<string, string> {
  return {
    [`${name}/Chart.yaml`]: chartYaml(name, 'dependencies:\n  - name: lib\n    version: 1.0.0\n'),
    [`${name}/templates/pod.yaml`]: pod('{{ include "lib.image" . }}'),
    [`${name}/charts/lib/Chart.yaml`]: chartYaml('lib', 'type: library\n'),
    [`${name}/charts/lib/templates/_image.tpl`]: `{{- define "lib.image" -}}${image}{{- end -}}\n`,
  };
}

/** Chart.yaml of version 1.0.0. */
const chartYaml = (name: string, extra = '') => chartYamlOf(name, '1.0.0', extra);
const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Chart.Name }}\nspec:\n  containers:\n    - name: app\n      image: ${image}\n`;

/**
 * Charts where rendering with others could go wrong if the batch rules were not kept: each is rendered both ways
 * below, and the two answers must be the same.
 */
writeFiles(scratch, {
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
  // Named like the values helm gives every chart: set under its name, a value would reach the whole batch (its
  // template does not say `global`, which alone would keep it out of a batch).
  'global/Chart.yaml': chartYaml('global'),
  'global/values.yaml': 'image:\n  registry: docker.io\n',
  'global/templates/pod.yaml': pod('{{ .Values.image.registry }}/app:1'),
  'reads-global/Chart.yaml': chartYaml('reads-global'),
  'reads-global/values.yaml': 'global:\n  image:\n    registry: docker.io\n',
  'reads-global/templates/pod.yaml': pod('{{ .Values.global.image.registry }}/reads-global:1'),
  'root-only/Chart.yaml': chartYaml('root-only'),
  'root-only/templates/pod.yaml': pod('{{ if .Chart.IsRoot }}example.com/root:1{{ else }}example.com/sub:1{{ end }}'),
  // Charts with dependencies are rendered from the archive packaging makes: two share a library at one version (its
  // definitions are the same text), one has it at another (the same template name, defined differently).
  ...usesLibrary('uses-a', 'example.com/lib:1'),
  ...usesLibrary('uses-b', 'example.com/lib:1'),
  ...usesLibrary('uses-c', 'example.com/lib:2'),
  // An application subchart reading the parent's global; and one disabled by a condition, which helm applies only
  // for the top chart's dependencies: rendered alone.
  'with-sub/Chart.yaml': chartYaml('with-sub', 'dependencies:\n  - name: redis\n    version: 7.0.0\n'),
  'with-sub/values.yaml': 'global:\n  imageRegistry: docker.io\n',
  'with-sub/templates/pod.yaml': pod('{{ .Values.global.imageRegistry }}/with-sub:1'),
  'with-sub/charts/redis/Chart.yaml': chartYamlOf('redis', '7.0.0'),
  'with-sub/charts/redis/values.yaml': 'image:\n  registry: docker.io\n',
  'with-sub/charts/redis/templates/pod.yaml': pod('{{ .Values.image.registry }}/{{ .Values.global.imageRegistry }}/redis:7'),
  'conditional/Chart.yaml': chartYaml('conditional', 'dependencies:\n  - name: memcached\n    version: 1.0.0\n    condition: memcached.enabled\n'),
  'conditional/values.yaml': 'memcached:\n  enabled: false\n',
  'conditional/templates/pod.yaml': pod('example.com/conditional:1'),
  'conditional/charts/memcached/Chart.yaml': chartYaml('memcached'),
  'conditional/charts/memcached/templates/pod.yaml': pod('example.com/memcached:1'),
  // An alias renames a subchart only when its parent is the top chart: rendered alone.
  'aliased/Chart.yaml': chartYaml('aliased', 'dependencies:\n  - name: redis\n    version: 7.0.0\n    alias: cache\n'),
  'aliased/templates/pod.yaml': pod('example.com/aliased:1'),
  'aliased/charts/redis/Chart.yaml': chartYamlOf('redis', '7.0.0'),
  'aliased/charts/redis/templates/pod.yaml': pod('example.com/redis:7'),
  // helm reads `tags` from the top chart's values: rendered alone.
  'tagged/Chart.yaml': chartYaml('tagged', 'dependencies:\n  - name: redis\n    version: 7.0.0\n    tags: [cache]\n'),
  'tagged/values.yaml': 'tags:\n  cache: false\n',
  'tagged/templates/pod.yaml': pod('example.com/tagged:1'),
  'tagged/charts/redis/Chart.yaml': chartYamlOf('redis', '7.0.0'),
  'tagged/charts/redis/templates/pod.yaml': pod('example.com/redis:7'),
  ...compliantChart('good', 'good'),
  ...Object.fromEntries(Object.values(FAILING).flatMap((f) => Object.entries(f.files(f.name)))),
});
/** Each packaged as renderable() packages it, here with the real helm: the batch renders archives. */
const packaged = [
  ...['uses-a', 'uses-b', 'uses-c', 'with-sub', 'conditional', 'aliased', 'tagged'],
  ...['twin-a', 'twin-b', 'ignoring', 'multidoc', 'refused', 'globalless', 'future', 'strict', 'global', 'reads-global', 'root-only', 'good', ...Object.values(FAILING).map((f) => f.name)],
];
const archive = (dir: string, name: string) => join(dir, `${name}-${name.startsWith('made-') ? '0.1.0' : '1.0.0'}.tgz`);

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
        const archives = join(scratch, `pkg${major}`);
        for (const name of created) await helm.run(['create', join(scratch, `h${major}`, name)]);
        for (const name of created) await helm.run(['package', join(scratch, `h${major}`, name), '-d', archives]);
        for (const name of packaged) await helm.run(['package', join(scratch, name), '-d', archives]);
        const charts = [...packaged, ...created].map((c) => archive(archives, c));
        // A directory is handed to helm as it is, alone: the policy never hands one (renderable() packages it).
        charts.push(join(scratch, 'twin-a'));
        const real = await findHelm({ ...envWithHelm(major), HOME: helm.home, HELM_CACHE_HOME: join(helm.home, 'cache'), HELM_CONFIG_HOME: join(helm.home, 'config') });
        assert.ok(real, 'helm is on PATH');
        let processes = 0;
        const counted: Renderer = { name: real.name, render: (chart, values) => (processes++, real.render(chart, values)) };
        const renderTogether = async (list: { chart: string; values: SetValue[] }[]) => {
          const batched = batchRenders(counted);
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
        const byChart = (name: string, values = PLAIN) => alone[jobs.findIndex((j) => j.chart === archive(archives, name) && j.values === values)]!;
        assert.match(JSON.stringify(byChart('twin-a')), /example\.com\/twin:a/);
        assert.match(JSON.stringify(byChart('twin-b')), /example\.com\/twin:b/);
        assert.doesNotMatch(JSON.stringify(byChart('ignoring')), /ignored/);
        assert.match(JSON.stringify(byChart('multidoc', SENTINEL)), /sentinel\.invalid\/two:2/);
        assert.match(JSON.stringify(byChart('root-only')), /root:1/);
        assert.match(JSON.stringify(byChart('uses-a')), /example\.com\/lib:1/);
        assert.match(JSON.stringify(byChart('uses-c')), /example\.com\/lib:2/);
        assert.match(JSON.stringify(byChart('with-sub')), /# Source: with-sub\/charts\/redis\/templates\/pod\.yaml.*docker\.io\/docker\.io\/redis:7/s);
        assert.doesNotMatch(JSON.stringify(byChart('conditional')), /memcached/);
        assert.match(JSON.stringify(byChart('aliased')), /name: cache/);
        assert.doesNotMatch(JSON.stringify(byChart('tagged')), /redis:7/);
        for (const failing of ['refused', 'globalless', 'future']) assert.ok('error' in byChart(failing), `${failing} fails alone`);
        assert.match(JSON.stringify(byChart('made-1')), /image: \\"nginx:/);
        // A chart whose kubeVersion helm's cluster does not meet, behind one without: the umbrella must not drop it.
        const pair = [jobs.findIndex((j) => j.chart === archive(archives, 'twin-a')), jobs.findIndex((j) => j.chart === archive(archives, 'future'))];
        assert.deepEqual(await renderTogether(pair.map((i) => jobs[i]!)), pair.map((i) => alone[i]));

        // Charts that render alone, rendered together: a few processes. (A chart helm refuses costs its batch a retry
        // in halves, so the count above says nothing.) Of these 40+ renderings, strict, root-only, conditional, aliased,
        // tagged and the directory render alone by rule (12); the rest need 2 kubeVersions × 2 value sets, twin-b's clash 2
        // more and uses-c's 2 more: at most 20 processes.
        const rendering = jobs.filter((_, i) => 'text' in alone[i]!);
        processes = 0;
        const again = await renderTogether(rendering);
        assert.deepEqual(again, alone.filter((a) => 'text' in a));
        assert.ok(rendering.length >= 40 && processes <= 20, `${processes} helm processes for ${rendering.length} renderings`);
      } finally {
        helm.cleanup();
      }
    });
  }
});

describe('a batch and the callers that will ask', () => {
  it('leaves once every open caller has asked, however long one is busy first; one that holds it up, after maxWaitMs', async () => {
    const helm = isolatedHelm(4);
    try {
      const real = await findHelm({ ...envWithHelm(4), HOME: helm.home, HELM_CACHE_HOME: join(helm.home, 'cache'), HELM_CONFIG_HOME: join(helm.home, 'config') });
      assert.ok(real, 'helm is on PATH');
      let processes = 0;
      const batched = batchRenders({ name: real.name, render: (chart, values) => (processes++, real.render(chart, values)) }, { maxWaitMs: 2000 });
      const archives = join(scratch, 'pkg-callers');
      for (const name of ['ignoring', 'multidoc', 'twin-a', 'twin-b']) await helm.run(['package', join(scratch, name), '-d', archives]);
      const chart = (name: string) => archive(archives, name);
      const [a, b, c] = [batched.open(), batched.open(), batched.open()];

      // c is busy for longer than any quiet moment a batch used to wait for (10 ms, 100 ms in all) before it asks.
      const together = await Promise.all([a.render(chart('ignoring'), PLAIN), b.render(chart('multidoc'), SENTINEL), sleep(300).then(() => c.render(chart('twin-a'), PLAIN))]);
      assert.equal(processes, 1);
      assert.deepEqual(together, [await real.render(chart('ignoring'), PLAIN), await real.render(chart('multidoc'), SENTINEL), await real.render(chart('twin-a'), PLAIN)]);
      assert.match(together[2], /example\.com\/twin:a/);

      // b stays open without asking (it would ask only after a's answer): a waits maxWaitMs, not for ever.
      c.done();
      processes = 0;
      let started = Date.now();
      assert.equal(await a.render(chart('ignoring'), SENTINEL), await real.render(chart('ignoring'), SENTINEL));
      assert.ok(Date.now() - started >= 1990, `answered after ${Date.now() - started} ms`);
      assert.equal(processes, 1);

      // Once b is done, a is the only caller: its rendering leaves at once.
      b.done();
      started = Date.now();
      await a.render(chart('twin-b'), PLAIN);
      assert.ok(Date.now() - started < 1990, `answered after ${Date.now() - started} ms`);
      a.done();
    } finally {
      helm.cleanup();
    }
  });
});
