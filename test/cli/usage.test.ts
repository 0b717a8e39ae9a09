import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runBundledCli, runCli } from '../helpers/cli.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { startRegistry } from '../helpers/registry.js';

/** The first line a user reads, and the exit code. */
async function refused(args: string[]): Promise<string> {
  const run = await runCli(args, { cwd: tmpdir() });
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stdout, '');
  return run.stderr.split('\n')[0]!;
}

describe('a mistyped command line', () => {
  it('names the command it was probably meant to be', async () => {
    assert.equal(await refused(['publsh']), 'chartship: unknown command "publsh" (did you mean "publish"?)');
    assert.equal(await refused(['verfiy']), 'chartship: unknown command "verfiy" (did you mean "verify"?)');
    assert.equal(await refused(['frobnicate']), 'chartship: unknown command "frobnicate"');
  });

  it('names the flag it was probably meant to be, for each command', async () => {
    assert.equal(await refused(['publish', '--registy', 'oci://r/x']), 'chartship publish: unknown option --registy (did you mean --registry?)');
    assert.equal(await refused(['publish', '--dryrun']), 'chartship publish: unknown option --dryrun (did you mean --dry-run?)');
    assert.equal(await refused(['plan', '--since-tag']), 'chartship plan: unknown option --since-tag (did you mean --since-tags?)');
    assert.equal(await refused(['push', '--hlp']), 'chartship push: unknown option --hlp (did you mean --help?)');
    assert.equal(await refused(['publish', '--registry=oci://r/x', '--sign-kye-file=k.asc']), 'chartship publish: unknown option --sign-kye-file (did you mean --sign-key-file?)');
    assert.equal(await refused(['plan', '--zzzzzz']), 'chartship plan: unknown option --zzzzzz');
  });

  it('refuses two flags that say one thing two ways, rather than following one of them unseen', async () => {
    assert.equal(await refused(['plan', '--base', 'main', '--since-tags']), 'chartship plan: give --base or --since-tags, not both (they are two ranges)');
    assert.equal(await refused(['plan', '--tag-template', 'v{version}-{name}', '--release-tag-template', '{name}-{version}']), 'chartship plan: --tag-template and --release-tag-template are one setting: give it once');
  });

  it("keeps node's own words for other mistakes, and the help follows", async () => {
    const run = await runCli(['publish', '--registry'], { cwd: tmpdir() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^chartship publish: Option '--registry <value>' argument missing/);
    assert.match(run.stderr, /\n\nusage: chartship publish \[options\]/);
  });

  it('refuses a CHARTSHIP_ variable that almost names a setting, and leaves other ones alone', async () => {
    const run = (env: NodeJS.ProcessEnv) => runCli(['publish', '--registry', 'oci-layout:out', '--dry-run'], { cwd: tmpdir(), env });
    const typo = await run({ CHARTSHIP_REGISTY: 'oci://ghcr.io/acme/charts' });
    assert.equal(typo.code, 1);
    assert.equal(typo.stderr, 'Error: CHARTSHIP_REGISTY: is not a chartship variable (did you mean CHARTSHIP_REGISTRY?)\n');
    const spelled = await run({ CHARTSHIP_DRYRUN: 'true' });
    assert.match(spelled.stderr, /^Error: CHARTSHIP_DRYRUN: is not a chartship variable \(did you mean CHARTSHIP_DRY_RUN\?\)$/m);
    // A variable close to no setting is not chartship's to judge: the run goes on (and fails later, outside a clone).
    const other = await run({ CHARTSHIP_MY_THING: '1', CHARTSHIP_SOURCE_PASSWORD: 'p' });
    assert.doesNotMatch(other.stderr, /not a chartship variable/);
    assert.doesNotMatch(other.stderr, /^warning: CHARTSHIP_/m);
  });

  it('names the CHARTSHIP_ variable a bad value came from, and the setting when a flag gave it', async () => {
    const run = (argv: string[], env: NodeJS.ProcessEnv) => runCli(['publish', '--registry', 'oci-layout:out', ...argv], { cwd: tmpdir(), env });
    assert.equal((await run([], { CHARTSHIP_DRY_RUN: 'maybe' })).stderr, 'Error: CHARTSHIP_DRY_RUN: must be true or false, got "maybe"\n');
    assert.equal((await run(['--dry-run'], { CHARTSHIP_POLICY: 'enforc' })).stderr, 'Error: CHARTSHIP_POLICY: must be off, warn or enforce, got "enforc" (did you mean "enforce"?)\n');
    assert.equal((await run(['--dry-run', '--policy', 'enforc'], { CHARTSHIP_POLICY: 'warn' })).stderr, 'Error: policy: must be off, warn or enforce, got "enforc" (did you mean "enforce"?)\n');
    assert.equal((await run(['--policy=enforc', '--dry-run'], {})).stderr, 'Error: policy: must be off, warn or enforce, got "enforc" (did you mean "enforce"?)\n');
  });

  it('says so when a CHARTSHIP_ variable sets an input only the action has, rather than ignoring it unseen', async () => {
    const run = await runCli(['publish', '--registry', 'oci-layout:out', '--dry-run'], { cwd: tmpdir(), env: { CHARTSHIP_CREATE_RELEASES: 'true', CHARTSHIP_PR_COMMENT: 'false' } });
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('warning: CHARTSHIP_'));
    assert.deepEqual(warnings, [
      "warning: CHARTSHIP_CREATE_RELEASES: is the GitHub Action's create-releases input, which the CLI does not have: ignored",
      "warning: CHARTSHIP_PR_COMMENT: is the GitHub Action's pr-comment input, which the CLI does not have: ignored",
    ]);
  });
});

describe('flags as a script puts them together', () => {
  const repo = createRepo();
  after(() => repo.cleanup());
  repo.commit('feat: web', chartFiles('charts/web', 'web', '0.3.0'));
  repo.commit('feat(web)!: a new values layout', { 'charts/web/values.yaml': 'image: {}\n' });
  /** web's next version as the bundled CLI plans it. */
  const next = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const run = await runBundledCli(['plan', '--cwd', repo.dir, '--base', 'HEAD~1', '--json', ...args], { cwd: repo.dir, env });
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { charts: { name: string; nextVersion: string }[] }).charts.find((c) => c.name === 'web')?.nextVersion;
  };

  it('a one-value flag given twice keeps the last, so a script\'s defaults can be overridden; a repeatable one adds up', async () => {
    assert.equal(await next(['--prerelease', 'rc', '--prerelease=beta']), '0.4.0-beta.0');
    assert.equal(await next(['--prerelease', 'rc', '--no-bump-minor-pre-major', '--bump-minor-pre-major']), '0.4.0-rc.0');
    assert.equal(await next(['--charts', 'charts/*', '--charts', 'charts/web']), '0.4.0');
  });

  it('--no-FLAG turns a boolean off, where its default is true and over its CHARTSHIP_ variable', async () => {
    // Below 1.0.0 a breaking change bumps the minor unless bump-minor-pre-major is off.
    assert.equal(await next([]), '0.4.0');
    assert.equal(await next(['--no-bump-minor-pre-major']), '1.0.0');
    assert.equal(await next(['--no-bump-minor-pre-major'], { CHARTSHIP_BUMP_MINOR_PRE_MAJOR: 'true' }), '1.0.0');
    assert.equal(await next([], { CHARTSHIP_BUMP_MINOR_PRE_MAJOR: 'false' }), '1.0.0');
    assert.equal(await next(['--bump-minor-pre-major'], { CHARTSHIP_BUMP_MINOR_PRE_MAJOR: 'false' }), '0.4.0');
  });

  it('`chartship help COMMAND` is `chartship COMMAND --help`', async () => {
    const help = await runCli(['help', 'plan'], { cwd: tmpdir() });
    assert.equal(help.code, 0);
    assert.equal(help.stdout, (await runCli(['plan', '--help'], { cwd: tmpdir() })).stdout);
    assert.match(help.stdout, /^usage: chartship plan \[options\]/);
    assert.equal(await refused(['help', 'plna']), 'chartship: unknown command "plna" (did you mean "plan"?)');
  });

  it("each command's help starts its option descriptions in one column, the shared registry flags' included", async () => {
    const top = (await runCli(['--help'], { cwd: tmpdir() })).stdout;
    const commands = [...top.matchAll(/^ {2}([a-z]+) {2}/gm)].map((m) => m[1]!);
    assert.ok(commands.includes('migrate'), top);
    for (const argv of [...commands.map((command) => [command, '--help']), ['verify', 'oci://r.example/charts/web:1.0.0', '--help']]) {
      const help = (await runCli(argv, { cwd: tmpdir() })).stdout;
      // An option line: the flag and its value names, two spaces or more, the description.
      const columns = new Set(help.split('\n').flatMap((line) => /^( +-[^ ,]*(?:, -[^ ]+| [^ -][^ ]*)*? {2,})\S/.exec(line)?.[1]!.length ?? []));
      assert.equal(columns.size, 1, `${argv.join(' ')}: descriptions start at columns ${[...columns].join(', ')}\n${help}`);
    }
  });
});

describe('which chartship this is', () => {
  const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

  it('--version, -V and `version` print the version the package is published as, and exit 0', async () => {
    for (const args of [['--version'], ['-V'], ['version']]) {
      const run = await runBundledCli(args, { cwd: tmpdir() });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `chartship ${version}\n`);
    }
    assert.match((await runBundledCli(['--help'], { cwd: tmpdir() })).stdout, /chartship --version, its version/);
  });

  it('registries log the version in every request\'s User-Agent', async () => {
    const registry = await startRegistry({ auth: 'none' });
    const repo = createRepo();
    try {
      repo.commit('feat: web', chartFiles('charts/web', 'web', '1.0.0'));
      const run = await runBundledCli(['publish', '--cwd', repo.dir, '--registry', `oci://${registry.host}/charts`, '--plain-http'], { cwd: repo.dir, env: { HOME: repo.dir } });
      assert.equal(run.code, 0, run.stderr);
      const agents = new Set((await registry.settle()).map((r) => r.userAgent));
      assert.deepEqual([...agents], [`chartship/${version}`]);
    } finally {
      repo.cleanup();
      await registry.stop();
    }
  });
});
