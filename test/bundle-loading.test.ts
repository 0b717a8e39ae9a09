import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runAction } from './helpers/action.js';
import { mappedBundle } from './helpers/bundle.js';
import { chartFiles, createRepo, type TestRepo } from './helpers/git.js';
import { GpgHome } from './helpers/gpg.js';
import { chartArchive } from './helpers/registry-charts.js';
import { startRegistry } from './helpers/registry.js';

// The heavy libraries, each needed on one path only: a start (`--help`, `plan`, the action's first log line)
// must not evaluate them. Undici too for a run that never reaches a network.
const HEAVY = ['openpgp', '@actions/cache', '@azure/', '@octokit/', '@sigstore/', '@aws-sdk/', '@smithy/', 'fast-xml-parser', 'ajv', 'undici'];
/** Issue 12: all of dist/ as `npm run build` writes it (the .map files are not in it). */
const DIST_BUDGET = 3_000_000;

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; kind: string }[] }>;
}

const dir = mkdtempSync(join(tmpdir(), 'chartship-loading-'));
// The bundle with its source maps, as `node scripts/build.mjs --sourcemap --metafile …` writes it: the run's own build.
let out: string;
const log = join(dir, 'loaded.log');
// Every module node's ESM loader reads is logged (bundled chunks are ESM files of their own).
const hook = join(dir, 'hook.mjs');
writeFileSync(
  hook,
  [
    "import { register } from 'node:module';",
    `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent("import { appendFileSync } from 'node:fs'; export async function load(url, context, next) { if (url.startsWith('file:')) appendFileSync(process.env.CHARTSHIP_LOADED_LOG, url + '\\n'); return next(url, context); }")}`)});`,
  ].join('\n'),
);
let meta: Metafile;
let repo: TestRepo;

before(async () => {
  const built = await mappedBundle();
  out = built.dist;
  meta = JSON.parse(readFileSync(built.metafile, 'utf8')) as Metafile;
  repo = createRepo();
  repo.commit('chore: a chart', chartFiles('charts/solo', 'solo', '0.3.0'));
  repo.commit('feat: change it', { 'charts/solo/values.yaml': 'replicas: 2\n' });
});
after(() => {
  repo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** The packages whose code is in the bundle files a run read, by the metafile (`dist/chunks/…` as esbuild names them). */
function packagesIn(files: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    const output = meta.outputs[`dist/${file}`];
    assert.ok(output, `dist/${file} is not in the metafile`);
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      if (pkg && bytesInOutput > 0) found.add(pkg);
    }
  }
  return found;
}

/** Runs `args` with the loader hook and returns the bundle files (relative to dist/) it read, and its output. */
function loaded(args: string[], env: NodeJS.ProcessEnv = {}): { files: string[]; output: string } {
  rmSync(log, { force: true });
  let output: string;
  try {
    output = execFileSync(process.execPath, ['--import', pathToFileURL(hook).href, ...args], {
      cwd: repo.dir,
      env: { PATH: process.env['PATH'], HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', CHARTSHIP_LOADED_LOG: log, ...env },
      encoding: 'utf8',
    });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '') + String((error as { stderr?: string }).stderr ?? '');
  }
  return { files: readLog(), output };
}

function readLog(): string[] {
  if (!existsSync(log)) return [];
  return [...new Set(readFileSync(log, 'utf8').trim().split('\n'))].filter((url) => url.startsWith(pathToFileURL(out).href)).map((url) => relative(out, new URL(url).pathname)).sort();
}

/** The source files (`src/…`) whose code is in the bundle files a run read. */
function sourcesIn(files: string[]): string[] {
  return files.flatMap((file) => Object.entries(meta.outputs[`dist/${file}`]?.inputs ?? {}).filter(([input, { bytesInOutput }]) => input.startsWith('src/') && bytesInOutput > 0).map(([input]) => input));
}

/** Every input (a source file or a package's file) whose code is in the bundle files a run read. */
function inputsIn(files: string[]): string[] {
  return files.flatMap((file) => Object.entries(meta.outputs[`dist/${file}`]?.inputs ?? {}).filter(([, { bytesInOutput }]) => bytesInOutput > 0).map(([input]) => input));
}

function assertNoHeavy(what: string, files: string[], allowed: string[] = []): void {
  const heavy = [...packagesIn(files)].filter((pkg) => HEAVY.some((h) => pkg === h || pkg.startsWith(h)) && !allowed.some((a) => pkg.startsWith(a)));
  assert.deepEqual(heavy, [], `${what} evaluated ${heavy.join(', ')} (read ${files.join(' ')})`);
}

describe('the bundles read heavy libraries only on the paths that use them', () => {
  it('`chartship --help` reads the entry and nothing heavy', () => {
    const run = loaded([join(out, 'cli.js'), '--help']);
    assert.match(run.output, /usage: chartship/);
    assert.ok(run.files.includes('cli.js'), run.files.join(' '));
    assertNoHeavy('--help', run.files);
  });

  it('`chartship plan` prints its plan without openpgp, undici, Octokit, the cache client, ajv, Sigstore or the AWS SDK', () => {
    const run = loaded([join(out, 'cli.js'), 'plan', '--base', 'HEAD~1']);
    assert.match(run.output, /solo/);
    assertNoHeavy('plan', run.files);
  });

  it('`chartship plan --help` reads the flags and the help of plan, not the planning', () => {
    const run = loaded([join(out, 'cli.js'), 'plan', '--help']);
    assert.match(run.output, /usage: chartship plan/);
    const libraries = [...packagesIn(run.files)];
    assert.deepEqual(libraries, [], `plan --help evaluated ${libraries.join(', ')}`);
    const planning = sourcesIn(run.files).filter((s) => !/^src\/(cli|model)\//.test(s));
    assert.deepEqual(planning, [], `plan --help evaluated ${planning.join(', ')}`);
  });

  it('`chartship plan` reads its code from a dozen bundle files, not from one per set of commands sharing a module', () => {
    // node's ESM loader pays for each file it reads (resolve, read, compile, link): 39 files took plan's start-up half
    // again as long as the same code in a few (scripts/bundle/chunk-groups.mjs).
    const run = loaded([join(out, 'cli.js'), 'plan', '--base', 'HEAD~1']);
    assert.match(run.output, /solo/);
    assert.ok(run.files.length <= 12, `plan read ${run.files.length} files: ${run.files.join(' ')}`);
  });

  it('`chartship push --help` and `verify --help` evaluate none of the planning that plan reads in one file', () => {
    for (const command of ['push', 'verify']) {
      const run = loaded([join(out, 'cli.js'), command, '--help']);
      assert.match(run.output, new RegExp(`usage: chartship ${command}`));
      const planning = sourcesIn(run.files).filter((s) => /^src\/versioning\//.test(s) || ['src/changes/detect.ts', 'src/changes/history.ts', 'src/pipeline/plan.ts', 'src/pipeline/settings.ts'].includes(s));
      assert.deepEqual(planning, [], `${command} --help evaluated ${planning.join(', ')}`);
      const libraries = [...packagesIn(run.files)].filter((pkg) => pkg === 'semver' || pkg === 'conventional-commits-parser');
      assert.deepEqual(libraries, [], `${command} --help evaluated ${libraries.join(', ')}`);
    }
  });

  it('`chartship plan` without --registry reads no registry client, packaging or dependency resolution', () => {
    const run = loaded([join(out, 'cli.js'), 'plan', '--base', 'HEAD~1']);
    assert.match(run.output, /solo/);
    const sources = sourcesIn(run.files);
    assert.ok(sources.includes('src/pipeline/plan.ts'), sources.join(' '));
    const unneeded = sources.filter((s) => /^src\/(helm-oci|package|resolve|sign|archive)\//.test(s) || /^src\/oci\/(transport|auth|registry|registry-store|layout-store|referrers)\.ts$/.test(s));
    assert.deepEqual(unneeded, [], `plan evaluated ${unneeded.join(', ')}`);
  });

  it('`chartship plan` of plain Chart.yaml files and no .chartship.yaml reads no YAML parser, semver ranges or Chart.yaml editing', () => {
    const run = loaded([join(out, 'cli.js'), 'plan', '--base', 'HEAD~1']);
    assert.match(run.output, /solo/);
    const inputs = inputsIn(run.files);
    assert.ok(inputs.includes('src/charts/plain-yaml.ts'), inputs.join(' '));
    const unneeded = inputs.filter(
      (input) =>
        /node_modules\/yaml\//.test(input) ||
        /node_modules\/semver\/(index\.js|ranges\/|classes\/range\.js)/.test(input) ||
        ['src/charts/yaml-syntax.ts', 'src/config/document.ts', 'src/pipeline/plan-edits.ts', 'src/versioning/chart-yaml.ts'].includes(input),
    );
    assert.deepEqual(unneeded, [], `plan evaluated ${unneeded.join(', ')}`);
  });

  it('`chartship plan` reads the `yaml` package when a Chart.yaml needs it, now or at the base, and plans as before', () => {
    const flow = createRepo();
    try {
      // `then` has flow YAML only at the base (read while detecting changes), `now` only at head (read by discovery).
      const base = flow.commit('chore: charts', {
        ...chartFiles('charts/then', 'then', '0.3.0', 'keywords: [a, b]\n'),
        ...chartFiles('charts/now', 'now', '0.5.0'),
      });
      flow.commit('feat: change both', {
        ...chartFiles('charts/then', 'then', '0.4.0', 'keywords:\n  - a\n'),
        ...chartFiles('charts/now', 'now', '0.6.0', 'keywords: [a, b]\n'),
      });
      // One plan each: the first reader to need the `yaml` package loads it for the other.
      for (const [chart, previous, current] of [
        ['then', '0.3.0', '0.4.0'],
        ['now', '0.5.0', '0.6.0'],
      ] as const) {
        const run = loaded([join(out, 'cli.js'), 'plan', '--cwd', flow.dir, '--base', base, '--charts', `charts/${chart}`, '--json']);
        const plan = JSON.parse(run.output) as { charts: { name: string; previousVersion?: string; currentVersion: string; nextVersion: string }[] };
        const versions = plan.charts.map((c) => [c.name, c.previousVersion, c.currentVersion, c.nextVersion]);
        assert.deepEqual(versions, [[chart, previous, current, current]]);
        assert.ok(packagesIn(run.files).has('yaml'), run.files.join(' '));
      }
    } finally {
      flow.cleanup();
    }
  });

  it('`chartship publish` to an image layout, with nothing to sign, attest or download, reads none of them', () => {
    const run = loaded([join(out, 'cli.js'), 'publish', '--base', 'HEAD~1', '--registry', `oci-layout:${join(dir, 'cli-layout')}`]);
    assert.match(run.output, /solo/);
    assertNoHeavy('publish', run.files);
  });

  it('the action publishing to an image layout, with nothing to sign, attest, download or report to GitHub, reads none of them', async () => {
    rmSync(log, { force: true });
    const run = await runAction({
      cwd: repo.dir,
      dir: join(dir, 'action'),
      bundle: join(out, 'index.js'),
      inputs: { registry: `oci-layout:${join(dir, 'layout')}`, base: 'HEAD~1' },
      env: { NODE_OPTIONS: `--import ${pathToFileURL(hook).href}`, CHARTSHIP_LOADED_LOG: log },
    });
    assert.equal(run.status, 0, run.log);
    assert.match(run.outputs['charts'] ?? '', /"solo"/);
    const files = readLog();
    assert.ok(files.includes('index.js'), files.join(' '));
    // @actions/core imports @actions/http-client, and it undici's ProxyAgent: the bundle makes that one from the
    // undici chartship reads when it first needs it (scripts/bundle/http-client-undici.mjs).
    assertNoHeavy('the action', files);
  });

  it('the action reporting a mistyped input reads what checks the inputs, not the pipeline', async () => {
    rmSync(log, { force: true });
    const run = await runAction({
      cwd: repo.dir,
      dir: join(dir, 'action-typo'),
      bundle: join(out, 'index.js'),
      inputs: { registry: 'ftp://nowhere' },
      env: { NODE_OPTIONS: `--import ${pathToFileURL(hook).href}`, CHARTSHIP_LOADED_LOG: log },
    });
    assert.notEqual(run.status, 0, run.log);
    assert.match(run.log, /"ftp:\/\/nowhere" is not an OCI target/);
    const sources = sourcesIn(readLog());
    assert.ok(sources.includes('src/pipeline/settings.ts'), sources.join(' '));
    const pipeline = ['src/action/run.ts', 'src/pipeline/publish.ts', 'src/pipeline/plan.ts', 'src/pipeline/policy.ts', 'src/report/index.ts'];
    assert.deepEqual(sources.filter((s) => pipeline.includes(s)), []);
    assertNoHeavy('the action, stopped by its inputs', readLog());
    assert.deepEqual([...packagesIn(readLog())].filter((pkg) => pkg === 'yaml' || pkg === 'semver' || pkg === 'tar'), []);
  });

  it("`chartship push` to a registry uses the bundle's undici and never makes node load its own", async () => {
    // node's fetch, Headers and the other web globals are undici too, loaded the first time one is touched (≈ 20 ms).
    const probe = join(dir, 'builtins.mjs');
    const builtins = join(dir, 'builtins.log');
    writeFileSync(probe, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(builtins)}, process.moduleLoadList.join('\\n')));\n`);
    const registry = await startRegistry();
    try {
      const archive = join(dir, 'pushed-1.0.0.tgz');
      writeFileSync(archive, chartArchive({ name: 'pushed', version: '1.0.0' }));
      const run = loaded(['--import', pathToFileURL(probe).href, join(out, 'cli.js'), 'push', archive, `oci://${registry.host}/probe`, '--plain-http']);
      assert.match(run.output, /Digest: sha256:/);
      assert.ok(packagesIn(run.files).has('undici'), run.files.join(' '));
      const loadedBuiltins = readFileSync(builtins, 'utf8').split('\n');
      assert.ok(loadedBuiltins.includes('NativeModule internal/url'), 'the probe sees what node loaded');
      assert.deepEqual(loadedBuiltins.filter((m) => /undici/.test(m)), []);
    } finally {
      await registry.stop();
    }
  });

  it('signing reads openpgp (the check sees a heavy library when one is read)', async () => {
    const gpg = await GpgHome.create();
    try {
      const key = await gpg.generateKey({ name: 'Loading Test', algo: 'nistp256' });
      const keyFile = join(dir, 'key.asc');
      writeFileSync(keyFile, key.armoredSecret);
      const run = loaded([join(out, 'cli.js'), 'package', 'charts/solo', '--destination', join(dir, 'packaged'), '--sign', '--key-file', keyFile]);
      assert.ok(readdirSync(join(dir, 'packaged')).some((f) => f.endsWith('.prov')), run.output);
      assert.ok(packagesIn(run.files).has('openpgp'), run.files.join(' '));
    } finally {
      rmSync(gpg.dir, { recursive: true, force: true });
    }
  });
});

describe('the size of dist/', () => {
  it(`is at most ${DIST_BUDGET} bytes, the source maps aside`, () => {
    const files = Object.keys(meta.outputs).filter((file) => !file.endsWith('.map'));
    assert.ok(files.includes('dist/cli.js') && files.includes('dist/index.js'), files.join(' '));
    // The bytes on disk, as the build wrote them (the metafile's own count leaves nothing out, but disk is what ships).
    const total = files.reduce((sum, file) => sum + statSync(join(out, relative('dist', file))).size, 0);
    assert.ok(total <= DIST_BUDGET, `dist/ is ${total} bytes, over the budget of ${DIST_BUDGET}`);
  });
});

describe('source maps (node scripts/build.mjs --sourcemap)', () => {
  it('name the sources under src/', () => {
    const map = JSON.parse(readFileSync(join(out, 'cli.js.map'), 'utf8')) as { sources: string[] };
    assert.ok(map.sources.some((s) => s.endsWith('src/cli/main.ts')), map.sources.join(' '));
  });

  it('turn a stack trace from the bundled CLI into src/ files and lines', () => {
    // An error thrown inside the bundle's main(): its frames are in cli.js, and node maps them back.
    const script = `const { main } = await import(${JSON.stringify(pathToFileURL(join(out, 'cli.js')).href)});
      try { await main(['--help'], { stdout() { throw new Error('probe'); }, stderr() {} }); } catch (error) { console.log(error.stack); }`;
    const trace = (flags: string[]) => execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.match(trace(['--enable-source-maps']), /src\/cli\/main\.ts:\d+:\d+/);
    // Without the maps node shows the minified bundle: the mapping above came from the .map files.
    assert.doesNotMatch(trace([]), /src\/cli\/main\.ts/);
  });
});
