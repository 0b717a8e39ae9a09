/**
 * chartship package beside the real helm 3 and helm 4 `helm package`, on charts shaped like the public ones that
 * showed differences (issue 10): every fixture must give the same entries, tar headers, bytes and gzip header (times
 * aside), the same metadata as helm reads back from the archive (what it signs and puts in the OCI config), or be
 * refused by all three.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readChartArchive } from '../../src/charts/archive.js';
import { helmChartYaml } from '../../src/charts/helm-yaml.js';
import { writtenArchive } from '../../src/charts/written-archives.js';
import { goJson, hashRequirements } from '../../src/charts/lockfile.js';
import { ChartshipError, describeError } from '../../src/model/errors.js';
import type { PackagedChart } from '../../src/package/index.js';
import { packageChart } from '../../src/pipeline/package.js';
import { startChartRepository, type ChartRepository } from '../helpers/chart-repo.js';
import { HELM_MAJORS, isolatedHelm, type Helm, type HelmMajor } from '../helpers/helm.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { writeFiles } from './fixtures.js';
import { entries, gzipHeader } from '../helpers/archive-parity.js';

const EPOCH = new Date('2024-06-01T00:00:00Z');

/** What `helm create` writes, give or take: the files a typical public chart has besides Chart.yaml. */
const HELMIGNORE = [
  '# Patterns to ignore when building packages.',
  '.DS_Store',
  '.git/',
  '.gitignore',
  '*.swp',
  '*.bak',
  '*.tmp',
  '*.orig',
  '*~',
  '.idea/',
  '.vscode/',
  '',
].join('\n');

function chartFiles(dir: string, chartYaml: string, extra: Record<string, string | Buffer> = {}): Record<string, string | Buffer> {
  const name = /^name: (.*)$/m.exec(chartYaml)?.[1] ?? 'chart';
  return Object.fromEntries(
    Object.entries({
      'Chart.yaml': chartYaml,
      '.helmignore': HELMIGNORE,
      'values.yaml': `# Default values for ${name}.\nreplicaCount: 1\nimage:\n  repository: nginx\n  tag: ""\nservice:\n  type: ClusterIP\n  port: 80\n`,
      'templates/_helpers.tpl': `{{- define "${name}.fullname" -}}\n{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}\n{{- end }}\n`,
      'templates/deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "${name}.fullname" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n`,
      'templates/service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "${name}.fullname" . }}\n`,
      'templates/NOTES.txt': '1. Get the application URL.\n',
      'templates/tests/test-connection.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    "helm.sh/hook": test\n',
      'README.md': `# ${name}\n`,
      'notes.bak': 'ignored by .helmignore\n',
      ...extra,
    }).map(([path, data]) => [`${dir}/${path}`, data]),
  );
}

/** A lock as helm writes it (requirements.lock or Chart.lock). */
const lock = (deps: [string, string, string][]) =>
  `dependencies:\n${deps.map(([name, repository, version]) => `- name: ${name}\n  repository: ${repository === '' ? '""' : repository}\n  version: ${version}\n`).join('')}digest: sha256:0d2c4fa00f6e4e0e5f5e8e7a1ac5be7b4b1e96b1c1f8e69ab0d9b1f0fa1c2d3e\ngenerated: "2023-04-05T06:07:08.123456789Z"\n`;

interface Fixture {
  name: string;
  /** The issue 10 case it covers. */
  covers: string;
  files(repo: string): Record<string, string | Buffer>;
  /**
   * How helm gets what is not in charts/: `helm package --dependency-update` (resolves again, writes a new lock), or
   * `helm dependency build` first (fetches what the lock pins).
   */
  fetch?: 'update' | 'build';
  /** chartship's refusal; helm 3 and 4 must refuse too. */
  refused?: RegExp;
}

const FIXTURES: Fixture[] = [
  {
    name: 'v2-control',
    covers: 'a complete v2 chart: Chart.lock, schema, crds, a vendored subchart directory and archive',
    files: () => ({
      ...chartFiles('app', 'apiVersion: v2\nname: app\ndescription: A web app\ntype: application\nversion: 1.4.2\nappVersion: "2.1.0"\nkubeVersion: ">=1.22.0-0"\ndependencies:\n  - name: common\n    version: 1.x\n  - name: redis\n    version: ~17.3.0\n    condition: redis.enabled\n', {
        'Chart.lock': lock([['common', '', '1.x'], ['redis', '', '~17.3.0']]),
        'values.schema.json': '{\n  "$schema": "https://json-schema.org/draft-07/schema#",\n  "type": "object"\n}\n',
        'crds/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n',
        ...Object.fromEntries(Object.entries(chartFiles('charts/common', 'apiVersion: v2\nname: common\ntype: library\nversion: 1.9.0\n')).map(([p, d]) => [p.replace(/^/, ''), d])),
        'charts/redis-17.3.4.tgz': chartArchive({ name: 'redis', version: '17.3.4' }),
      }),
    }),
  },
  {
    name: 'v1-requirements-vendored',
    covers: 'item 1: apiVersion v1 with requirements.yaml and requirements.lock, dependencies vendored (directory and archive)',
    files: () =>
      chartFiles('app', 'apiVersion: v1\nname: app\nversion: 0.3.1\nappVersion: "1.0"\ndescription: An older chart\n', {
        'requirements.yaml': 'dependencies:\n  - name: postgresql\n    version: ~8.6.0\n    repository: https://charts.example.com/stable\n    condition: postgresql.enabled\n  - name: sub\n    version: 0.x\n',
        'requirements.lock': lock([['postgresql', 'https://charts.example.com/stable', '8.6.4'], ['sub', '', '0.x']]),
        'charts/postgresql-8.6.4.tgz': chartArchive({ name: 'postgresql', version: '8.6.4' }),
        'charts/sub/Chart.yaml': 'apiVersion: v1\nname: sub\nversion: 0.2.0\n',
        'charts/sub/templates/cm.yaml': 'kind: ConfigMap\n',
      }),
  },
  {
    name: 'v1-no-apiversion',
    covers: 'items 1 and 2: no apiVersion (read as v1) with requirements.yaml, dependency vendored',
    files: () =>
      chartFiles('app', 'name: app\nversion: 2.0.0\nengine: gotpl\nmaintainers:\n  - name: ops\n    email: ops@example.com\n', {
        'requirements.yaml': 'dependencies:\n- name: sub\n  version: ">=0.1.0"\n  repository: "file://../sub"\n',
        'charts/sub/Chart.yaml': 'name: sub\nversion: 0.1.0\n',
      }),
  },
  {
    name: 'v1-requirements-missing',
    covers: 'item 1: a requirements.yaml dependency that is not in charts/ and has no repository',
    files: () => chartFiles('app', 'apiVersion: v1\nname: app\nversion: 0.1.0\n', { 'requirements.yaml': 'dependencies:\n  - name: mysql\n    version: 1.x\n' }),
    refused: /dependencies\[0\]: mysql is missing from charts\//,
  },
  {
    name: 'v1-requirements-file-dependency',
    covers: 'item 1: a file:// dependency in requirements.yaml, vendored with a requirements.lock written into the archive',
    fetch: 'update',
    files: () => ({
      ...chartFiles('app', 'apiVersion: v1\nname: app\nversion: 0.1.0\n', {
        'requirements.yaml': 'dependencies:\n  - name: common\n    version: ^1.2.0\n    repository: file://../common\n    import-values:\n      - data\n',
      }),
      ...chartFiles('common', 'apiVersion: v1\nname: common\nversion: 1.2.5\ndescription: Shared helpers\n'),
    }),
  },
  {
    name: 'v1-requirements-repository',
    covers: 'items 1 and 5: a v1 chart fetching from a chart repository with => and != constraints',
    fetch: 'update',
    files: (repo) =>
      chartFiles('app', 'apiVersion: v1\nname: app\nversion: 0.1.0\n', {
        'requirements.yaml': `dependencies:\n  - name: alpha\n    version: "=>1.1.0, !=1.2.4, =<1.2"\n    repository: ${repo}\n`,
      }),
  },
  {
    name: 'v1-requirements-lock-pinned',
    covers: 'item 1: a v1 chart whose requirements.lock pins an older version than the constraint would pick (the lock is honoured)',
    fetch: 'build',
    files: (repo) => {
      const requested = [{ name: 'alpha', version: '>=1.0.0', repository: repo }];
      const locked = [{ name: 'alpha', version: '1.1.0', repository: repo }];
      return chartFiles('app', 'apiVersion: v1\nname: app\nversion: 0.1.0\n', {
        'requirements.yaml': `dependencies:\n  - name: alpha\n    version: ">=1.0.0"\n    repository: ${repo}\n`,
        'requirements.lock': `dependencies:\n- name: alpha\n  repository: ${repo}\n  version: 1.1.0\ndigest: ${hashRequirements(requested, locked)}\ngenerated: "2024-02-03T04:05:06Z"\n`,
      });
    },
  },
  {
    name: 'v1-requirements-lock-helm2',
    covers: 'a v1 chart whose requirements.lock helm 2 wrote (its digest hashes requirements.yaml alone): helm 3 and 4 still honour its pins',
    fetch: 'build',
    files: (repo) => {
      // Go's encoding/json, as helm 3's HashV2Req marshals requirements.yaml's dependencies (`>` escaped).
      const requested = `[{"name":"alpha","version":${goJson('>=1.0.0')},"repository":${goJson(repo)}}]`;
      const digest = createHash('sha256').update(`{"dependencies":${requested}}`).digest('hex');
      return chartFiles('app', 'apiVersion: v1\nname: app\nversion: 0.1.0\n', {
        'requirements.yaml': `dependencies:\n  - name: alpha\n    version: ">=1.0.0"\n    repository: ${repo}\n`,
        'requirements.lock': `dependencies:\n- name: alpha\n  repository: ${repo}\n  version: 1.1.0\ndigest: sha256:${digest}\ngenerated: 2019-05-06T07:08:09.123456789Z\n`,
      });
    },
  },
  {
    name: 'v2-with-requirements',
    covers: 'item 1: a v2 chart that also has requirements.yaml (its dependencies land in Chart.yaml) and requirements.lock',
    files: () =>
      chartFiles(
        'app',
        'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: old\n    version: 1.x\n    condition: old.enabled\n    tags: [backend]\n    repository: https://charts.example.com\n  - name: gone\n    version: 9.9.9\n',
        {
          'requirements.yaml': 'dependencies:\n  - name: sub\n    version: 2.x\n',
          'requirements.lock': lock([['sub', '', '2.x']]),
          'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 2.0.1\n',
        },
      ),
  },
  {
    name: 'version-v-prefix',
    covers: 'item 2: version v0.1.0, kept as written',
    files: () => chartFiles('app', 'apiVersion: v2\nname: app\nversion: v0.1.0\nappVersion: v3.2.1\n'),
  },
  {
    name: 'not-text',
    covers: 'item 2: version "1", numbers and booleans where helm wants text (appVersion 1.10, keywords yes/017), deprecated: yes',
    files: () => chartFiles('app', 'apiVersion: v2\nname: app\nversion: "1"\nappVersion: 1.10\nkeywords: [web, yes, 017, 1e6]\nhome: 2020-01-01\ndeprecated: yes\nannotations:\n  replicas: 3\n'),
  },
  {
    name: 'duplicate-keys',
    covers: 'item 2: repeated keys in Chart.yaml, the last counts',
    files: () => chartFiles('app', 'apiVersion: v2\nname: app\nversion: 0.1.0\ndescription: first\nversion: 0.2.0\ndescription: second\nannotations:\n  a: "1"\n  a: "2"\n'),
  },
  {
    name: 'vendored-outside-constraint',
    covers: 'item 3: a vendored subchart outside its constraint, with a file:// repository that does not exist',
    files: () =>
      chartFiles('app', 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: lib\n    version: ^2.0.0\n    repository: file://../lib\n', {
        'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n',
        'charts/lib/templates/_lib.tpl': '{{- define "lib.x" -}}x{{- end -}}\n',
      }),
  },
  {
    name: 'file-dependency-outside-constraint',
    covers: 'item 3: a file:// dependency whose version does not satisfy the constraint and nothing vendored',
    fetch: 'update',
    files: () => ({
      ...chartFiles('app', 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: file://../lib\n'),
      ...chartFiles('lib', 'apiVersion: v2\nname: lib\nversion: 2.0.0\n'),
    }),
    refused: /dependencies\[0\]: lib at file:\/\/\.\.\/lib is version 2\.0\.0, outside "\^1\.0\.0"/,
  },
  {
    name: 'app-version-mapping',
    covers: 'item 4: appVersion given as a mapping',
    files: () => chartFiles('app', 'apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: {x: 1}\n'),
    refused: /Chart\.yaml:4:13: appVersion: must be text, got mapping/,
  },
  {
    name: 'maintainer-name-mapping',
    covers: 'item 4: a maintainer whose name is a mapping',
    files: () => chartFiles('app', 'apiVersion: v2\nname: app\nversion: 1.0.0\nmaintainers:\n  - name:\n      first: Ann\n    email: ann@example.com\n'),
    refused: /Chart\.yaml:6:7: maintainers\[0\]\.name: must be text, got mapping/,
  },
  {
    name: 'constraints-repository',
    covers: 'item 5: !=, =>, =<, ||, hyphen ranges, x, ~, ^ and a prerelease constraint resolved from a chart repository',
    fetch: 'update',
    files: (repo) =>
      chartFiles(
        'app',
        `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n${[
          ['alpha', '>=1.0.0 !=1.2.4 <1.3.0'],
          ['bravo', '1.0 - 1.1'],
          ['charlie', '~1.1 || ^2'],
          ['delta', '1.x'],
          ['echo', '~1.3.0-0'],
        ]
          .map(([name, version]) => `  - name: ${name}\n    version: "${version}"\n    repository: ${repo}\n`)
          .join('')}`,
      ),
  },
];

const REPOSITORY = Object.fromEntries(
  ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((name) => [name, ['1.0.0', '1.1.0', '1.1.7', '1.2.0', '1.2.3', '1.2.4', '1.3.0-rc.1', '1.9.0', '2.0.0-rc.1', '2.2.0']]),
);

describe('helm package parity on real-chart-shaped fixtures', () => {
  let repository: ChartRepository;
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-parity-'));
  const helms = new Map<HelmMajor, Helm>(HELM_MAJORS.map((m) => [m, isolatedHelm(m)]));
  before(async () => {
    repository = await startChartRepository(REPOSITORY);
  });
  after(async () => {
    await repository?.stop();
    for (const helm of helms.values()) helm.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it(`has ${FIXTURES.length} fixtures, each named for the case it covers`, () => {
    assert.equal(new Set(FIXTURES.map((f) => f.name)).size, FIXTURES.length);
    for (const f of FIXTURES) assert.match(f.covers, /\w/);
  });

  for (const fixture of FIXTURES) {
    it(`${fixture.name}: ${fixture.covers}`, async () => {
      const root = join(scratch, fixture.name);
      writeFiles(join(root, 'ours'), fixture.files(repository.url));
      const byHelm = new Map<HelmMajor, { archive?: Buffer; fileName?: string; shown?: string; error?: string }>();
      await Promise.all(
        [...helms].map(async ([major, helm]) => {
          const work = join(root, `helm${major}`);
          cpSync(join(root, 'ours'), work, { recursive: true });
          const out = join(root, `out${major}`);
          try {
            if (fixture.fetch === 'build') {
              // Unlike `--dependency-update`, `helm dependency build` only fetches from repositories added by name.
              await helm.run(['repo', 'add', 'parity', repository.url, '--force-update']);
              await helm.run(['dependency', 'build', join(work, 'app')]);
            }
            await helm.run(['package', join(work, 'app'), '-d', out, ...(fixture.fetch === 'update' ? ['--dependency-update'] : [])]);
            const fileName = readdirSync(out)[0]!;
            const shown = await helm.run(['show', 'chart', join(out, fileName)], { stdoutOnly: true });
            byHelm.set(major, { archive: readFileSync(join(out, fileName)), fileName, shown });
          } catch (error) {
            byHelm.set(major, { error: String(error) });
          }
        }),
      );

      let ours: PackagedChart | undefined;
      let refusal: unknown;
      try {
        ours = await packageChart(join(root, 'ours', 'app'), { sourceDate: EPOCH, env: {} });
      } catch (error) {
        refusal = error;
      }

      if (fixture.refused) {
        assert.ok(refusal instanceof ChartshipError, `chartship refuses: ${refusal === undefined ? 'it packaged the chart' : describeError(refusal)}`);
        assert.match(refusal.describe(), fixture.refused);
        for (const [major, result] of byHelm) assert.ok(result.error, `helm ${major} refuses too`);
        return;
      }
      assert.equal(refusal, undefined, `chartship packages it: ${String(refusal)}`);
      // A push takes what packaging recorded of the archive instead of reading it back: it must be what reading gives.
      const read = await readChartArchive(ours!.archive, 'ours');
      assert.deepEqual(writtenArchive(ours!.archive), { metadata: read.metadata, top: read.top, newestMtime: read.newestMtime }, 'what a push reads of the archive');
      for (const [major, theirs] of byHelm) {
        assert.ok(theirs.archive, `helm ${major} packages it: ${theirs.error}`);
        assert.equal(ours!.fileName, theirs.fileName, `helm ${major}: archive name`);
        assert.equal(gzipHeader(ours!.archive).toString('hex'), gzipHeader(theirs.archive).toString('hex'), `helm ${major}: gzip header`);
        const mine = entries(ours!.archive);
        const helmEntries = entries(theirs.archive);
        assert.deepEqual(mine.map((e) => e.name), helmEntries.map((e) => e.name), `helm ${major}: entry names`);
        assert.deepEqual(mine, helmEntries, `helm ${major}: headers and bytes`);
        // What helm reads back from its archive is what it signs into the .prov and writes as the OCI config
        // (`helm show chart` prints it with Println).
        assert.equal(`${helmChartYaml(ours!.metadata)}\n`, theirs.shown, `helm ${major}: metadata read back from the archive`);
      }
    });
  }
});

describe('helm package parity: symbolic links within the repository', () => {
  const repo = mkdtempSync(join(tmpdir(), 'chartship-parity-links-'));
  const helms = new Map<HelmMajor, Helm>(HELM_MAJORS.map((m) => [m, isolatedHelm(m)]));
  after(() => {
    for (const helm of helms.values()) helm.cleanup();
    rmSync(repo, { recursive: true, force: true });
  });

  it('a helper, a directory and values linked from elsewhere in the repository: the targets\' bytes under the links\' names, as helm stores them', async () => {
    execFileSync('git', ['init', '-q', repo]);
    writeFiles(repo, {
      'shared/_helpers.tpl': '{{- define "shared.name" -}}{{ .Chart.Name }}{{- end -}}\n',
      'shared/dashboards/a.json': '{"title":"a"}\n',
      'shared/dashboards/b.json': '{"title":"b"}\n',
      'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
      'charts/app/values-base.yaml': 'replicas: 1\n',
      'charts/app/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: {{ include "shared.name" . }}\n',
    });
    const app = join(repo, 'charts', 'app');
    symlinkSync('../../../shared/_helpers.tpl', join(app, 'templates', '_helpers.tpl'));
    mkdirSync(join(app, 'files'));
    symlinkSync('../../../shared/dashboards', join(app, 'files', 'dashboards'));
    symlinkSync('values-base.yaml', join(app, 'values.yaml'));

    const ours = await packageChart(app, { sourceDate: EPOCH, env: {} });
    const mine = entries(ours.archive);
    assert.deepEqual(
      mine.map((e) => e.name),
      ['app/Chart.yaml', 'app/values.yaml', 'app/templates/_helpers.tpl', 'app/templates/cm.yaml', 'app/files/dashboards/a.json', 'app/files/dashboards/b.json', 'app/values-base.yaml'],
    );
    for (const [major, helm] of helms) {
      const out = join(repo, `out${major}`);
      await helm.run(['package', app, '-d', out]);
      assert.deepEqual(mine, entries(readFileSync(join(out, 'app-1.0.0.tgz'))), `helm ${major}: headers and bytes`);
    }
  });

  it('a link out of the repository, or into its .git directory, is refused, naming the link', async () => {
    const app = join(repo, 'charts', 'app');
    for (const [name, target, says] of [
      ['token', '../../../.git/config', /templates\/token: symbolic link points into the repository's \.git directory/],
      ['everything', '../../..', /templates\/everything\/\.git: the chart holds a \.git directory/],
      ['host', '/etc/hostname', /templates\/host: symbolic link leaves the repository \(reaches \/etc\/hostname\)/],
    ] as const) {
      const link = join(app, 'templates', name);
      symlinkSync(target, link);
      try {
        await assert.rejects(packageChart(app, { sourceDate: EPOCH, env: {} }), (e: unknown) => e instanceof ChartshipError && says.test(e.describe()));
      } finally {
        rmSync(link);
      }
    }
  });
});

describe('helm package parity: subchart archives written by tar rather than helm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-parity-tar-'));
  const helms = new Map<HelmMajor, Helm>(HELM_MAJORS.map((m) => [m, isolatedHelm(m)]));
  after(() => {
    for (const helm of helms.values()) helm.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A parent chart whose charts/sub-0.1.0.tgz GNU tar writes from `sub` (directory entries, owners, times) with `tarArgs`. */
  function parentWith(name: string, sub: Record<string, string | Buffer>, tarArgs: (work: string) => string[]): string {
    const root = join(dir, name);
    writeFiles(join(root, 'sub'), { 'Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n', 'templates/cm.yaml': 'kind: ConfigMap\n', ...sub });
    writeFiles(join(root, 'app'), { 'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n' });
    mkdirSync(join(root, 'app', 'charts'));
    execFileSync('tar', ['-czf', join(root, 'app', 'charts', 'sub-0.1.0.tgz'), ...tarArgs(root)]);
    return join(root, 'app');
  }

  const BOM = '\u{feff}';
  for (const [name, covers, tarArgs] of [
    ['bom', 'files starting with a UTF-8 byte order mark, which helm strips from archives as from directories', (root: string) => ['-C', root, 'sub']],
    ['dot', 'the chart directory archived as `.` (entries ./Chart.yaml, ./templates/…), which helm takes as the chart itself', (root: string) => ['-C', join(root, 'sub'), '.']],
    ['backslash', 'entries named sub\\templates\\cm.yaml, as archives written on Windows are, which helm splits on `\\`', (root: string) => ['-C', root, '--transform', 's,/,\\\\,g', 'sub']],
  ] as const) {
    it(`${name}: ${covers}`, async () => {
      const app = parentWith(name, { 'values.yaml': `${BOM}replicas: 1\n`, 'templates/NOTES.txt': `${BOM}Installed.\n` }, tarArgs);
      const mine = entries((await packageChart(app, { sourceDate: EPOCH, env: {} })).archive);
      assert.ok(mine.some((e) => e.name === 'app/charts/sub/values.yaml'), mine.map((e) => e.name).join(', '));
      for (const [major, helm] of helms) {
        const out = join(dir, name, `out${major}`);
        await helm.run(['package', app, '-d', out]);
        assert.deepEqual(mine, entries(readFileSync(join(out, 'app-1.0.0.tgz'))), `helm ${major}: headers and bytes`);
      }
    });
  }

  it('an archive whose chart sits one directory too deep (./sub/Chart.yaml) is refused, as helm refuses it', async () => {
    const app = parentWith('too-deep', {}, (root) => ['-C', root, './sub']);
    await assert.rejects(packageChart(app, { sourceDate: EPOCH, env: {} }), (e: unknown) => e instanceof ChartshipError && /sub-0\.1\.0\.tgz: .*no \.\/Chart\.yaml in the archive/.test(e.describe()));
    for (const [major, helm] of helms) await assert.rejects(helm.run(['package', app, '-d', join(dir, 'too-deep', `out${major}`)]), /Chart\.yaml file is missing/, `helm ${major} refuses too`);
  });
});
