import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { CONFIG_SCHEMA, parseConfig } from '../../src/config/index.js';
import { SETTINGS } from '../../src/pipeline/settings.js';
import { runCli } from '../helpers/cli.js';
import { chartFiles, createRepo } from '../helpers/git.js';

/**
 * The README and docs/ are what a new user acts on: every command line they give must run, every flag a command's
 * --help lists must be told of, and every CHARTSHIP_ variable they name must be one chartship reads. Checked from the
 * outside, as a user meets them: the commands' own --help and what their parsers take.
 */

/** docs/bad-input.md is generated from the catalogue of refusals, and checked against it elsewhere. */
const DOC_FILES = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md') && f !== 'bad-input.md').map((f) => join('docs', f))];
const docs = DOC_FILES.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const readme = docs[0]!.text;

/** A command as the CLI dispatches it: `verify` of an archive and `verify oci://…` of an attestation take other flags. */
interface Form {
  name: string;
  args: string[];
}

/** A flag as written in text: `--name`, not a placeholder (`--no-FLAG`, `--test-…`). */
const FLAG = /(?<![\w-])--([a-z0-9][a-z0-9-]*[a-z0-9])(?![A-Za-z0-9…-])/g;
const flagsIn = (text: string) => [...text.matchAll(FLAG)].map((m) => m[1]!);

/** The flags of the option lines of a help text (the first column: not those its descriptions mention). */
export function optionFlags(help: string): string[] {
  const column = help.split('\n').map((line) => line.trimStart()).filter((line) => line.startsWith('-')).map((line) => line.split(/\s{2,}/)[0] ?? '');
  return [...new Set(column.flatMap(flagsIn))].filter((flag) => flag !== 'help');
}

/**
 * Each piece of text that can hold one command line: a line of a code block (with its `\` continuations) and an
 * inline code span (which may run over a line break).
 */
export function commandPieces(markdown: string): string[] {
  const pieces: string[] = [];
  const prose: string[] = [];
  let block: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) {
      if (block) pieces.push(...block.join('\n').replace(/\s*\\\n\s*/g, ' ').split('\n'));
      block = block ? undefined : [];
    } else if (block) block.push(line);
    else prose.push(line);
  }
  for (const span of prose.join('\n').matchAll(/`([^`]+)`/g)) pieces.push(span[1]!.replace(/\s*\n\s*/g, ' '));
  return pieces;
}

/** The chartship command a piece runs (`chartship plan …`, `node …/cli.js publish …`, or `lint --policy FILE` alone) and the flags it gives it. */
export function commandUse(piece: string, names: string[]): { command: string; flags: string[] } | undefined {
  const match = new RegExp(`(?:^|\\bchartship\\s+|cli\\.js\\s+)(${names.join('|')})\\b(.*)$`).exec(piece.trim());
  if (!match) return undefined;
  const rest = match[2] ?? '';
  const command = match[1] === 'verify' && /^\s*oci:\/\//.test(rest) ? 'verify oci://' : match[1]!;
  return { command, flags: flagsIn(rest) };
}

/** A line of another program whose flags the docs quote (helm's, gh's, git's, the benchmarks'), in a shell or a YAML list. */
const OTHER_PROGRAM = /^(?:[-$]\s+)?(?:helm|gh|git|npm|npx|gpg|aws|az|eval|skopeo|cosign|kubectl|node(?!\s+\S*cli\.js)|--)\s/;

describe('the README and docs/ against the CLI', () => {
  const forms: Form[] = [];
  const help = new Map<string, string[]>();
  /** Whether `form` takes `--flag` (a string flag given a value, a boolean refusing one: anything but "unknown option"). */
  const takes = async (form: Form, flag: string) => {
    const run = await runCli([...form.args, `--${flag}=x`, '--help'], { cwd: tmpdir() });
    return !/unknown option/.test(run.stderr.split('\n')[0] ?? '');
  };
  const form = (name: string) => forms.find((f) => f.name === name)!;

  before(async () => {
    const top = await runCli(['--help'], { cwd: tmpdir() });
    for (const [, name] of top.stdout.matchAll(/^ {2}([a-z]+) {2}/gm)) forms.push({ name: name!, args: [name!] });
    forms.push({ name: 'verify oci://', args: ['verify', 'oci://registry.invalid/charts/web:1.0.0'] });
    for (const f of forms) help.set(f.name, optionFlags((await runCli([...f.args, '--help'], { cwd: tmpdir() })).stdout));
  });

  it('every flag a command\'s --help lists is one it takes', async () => {
    assert.ok(forms.length >= 10 && [...help.values()].every((flags) => flags.length > 0), JSON.stringify([...help]));
    const refused: string[] = [];
    for (const f of forms) for (const flag of help.get(f.name)!) if (!(await takes(f, flag))) refused.push(`${f.name} --${flag}`);
    assert.deepEqual(refused, []);
  });

  it('every flag a command\'s --help lists is in the README, or is an action input of the same name (its table documents it)', () => {
    const named = new Set(docs.flatMap((d) => flagsIn(d.text)));
    const missing = forms.flatMap((f) => help.get(f.name)!.filter((flag) => !named.has(flag) && !(flag in SETTINGS)).map((flag) => `${f.name} --${flag}`));
    assert.deepEqual(missing, []);
  });

  it('every flag the docs give a command, in a code block or code span, is one that command takes', async () => {
    const names = forms.filter((f) => f.args.length === 1).map((f) => f.name);
    const uses = docs.flatMap((d) => commandPieces(d.text).flatMap((piece) => {
      const use = commandUse(piece, names);
      return use ? use.flags.map((flag) => ({ file: d.file, command: use.command, flag })) : [];
    }));
    assert.ok(uses.length > 50, `${uses.length} flags given to commands`);
    const refused: string[] = [];
    for (const use of uses) if (!(await takes(form(use.command), use.flag))) refused.push(`${use.file}: chartship ${use.command} --${use.flag}`);
    assert.deepEqual(refused, []);
  });

  it('every flag the README\'s CLI section names on its own is one some command takes', async () => {
    // Its table of CI systems names their settings (git's `--depth` in Buildkite's clone flags), not chartship's.
    const section = readme.slice(readme.indexOf('\n## Other CI systems'), readme.indexOf('\n## Development')).split('\n').filter((l) => !l.startsWith('|')).join('\n');
    const names = forms.filter((f) => f.args.length === 1).map((f) => f.name);
    const alone = [...new Set(commandPieces(section).filter((p) => !OTHER_PROGRAM.test(p.trim()) && !commandUse(p, names)).flatMap(flagsIn))];
    assert.ok(alone.length > 10, alone.join(' '));
    const unknown: string[] = [];
    for (const flag of alone) {
      let taken = false;
      for (const f of forms) if (!taken) taken = await takes(f, flag);
      if (!taken) unknown.push(`--${flag}`);
    }
    assert.deepEqual(unknown, []);
  });

  it('the checks find a flag no command takes and one its --help leaves out', async () => {
    const piece = commandPieces('Run `chartship plan --base REF\n--frobnicate` or:\n\n```sh\nchartship verify oci://r/c:1 \\\n  --keyring k\n```\n');
    assert.deepEqual(piece, ['chartship verify oci://r/c:1 --keyring k', 'chartship plan --base REF --frobnicate']);
    assert.deepEqual(commandUse(piece[0]!, ['plan', 'verify']), { command: 'verify oci://', flags: ['keyring'] });
    assert.equal(await takes(form('verify oci://'), 'keyring'), false);
    assert.equal(await takes(form('plan'), 'frobnicate'), false);
    assert.equal(await takes(form('plan'), 'base'), true);
    assert.equal(await takes(form('plan'), 'write'), true);
    assert.deepEqual(optionFlags('  --aa X      see --bb\n  --cc, --dd   x\n                 and --ee\n  -h, --help\n'), ['aa', 'cc', 'dd']);
    assert.equal(OTHER_PROGRAM.test('helm pull oci://x --verify'), true);
    assert.equal(OTHER_PROGRAM.test('- git clone --depth 1 https://x'), true);
    assert.equal(OTHER_PROGRAM.test('node /tmp/chartship/dist/cli.js publish --attest'), false);
    assert.equal(OTHER_PROGRAM.test('--registry-auth-file FILE'), false);
  });
});

describe('CHARTSHIP_ variables in the docs against the code', () => {
  const variableOf = (setting: string) => `CHARTSHIP_${setting.toUpperCase().replaceAll('-', '_')}`;
  /** Variables the CLI reads by their own name, beside one per setting. */
  const read = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
      .flatMap((e) => [...readFileSync(join(e.parentPath, e.name), 'utf8').matchAll(/['"](CHARTSHIP_[A-Z_]+)['"]/g)].map((m) => m[1]!));
  const byName = new Set(read('src/cli'));
  const testRunner = new Set(read('scripts'));

  it('every one the docs name is one chartship (or npm test) reads', () => {
    const named = new Set(docs.flatMap((d) => [...d.text.matchAll(/\bCHARTSHIP_[A-Z][A-Z_]*[A-Z]\b/g)].map((m) => m[0])));
    assert.ok(byName.size >= 4 && named.size >= 10, `${[...byName].join(' ')} / ${[...named].join(' ')}`);
    // The README's example of a mistyped variable, which the CLI refuses (test/cli/usage.test.ts).
    named.delete('CHARTSHIP_REGISTY');
    const settings = new Set(Object.keys(SETTINGS).map(variableOf));
    assert.deepEqual([...named].filter((name) => !settings.has(name) && !byName.has(name) && !testRunner.has(name)), []);
  });

  it('every one the CLI reads by its own name is in the README', () => {
    assert.deepEqual([...byName].filter((name) => !readme.includes(name)), []);
  });
});

describe('.chartship.yaml in the README against the configuration it reads', () => {
  /** Every key the file's schema knows, nested ones included. */
  const keysOf = (schema: unknown): string[] => {
    if (typeof schema !== 'object' || schema === null) return [];
    const s = schema as Record<string, unknown>;
    const own = Object.entries((s['properties'] ?? {}) as Record<string, unknown>).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
    return [...own, ...['items', 'then', 'else', 'additionalProperties'].flatMap((k) => keysOf(s[k])), ...['oneOf', 'anyOf', 'allOf'].flatMap((k) => ((s[k] ?? []) as unknown[]).flatMap(keysOf))];
  };

  it('every key it knows is named in the README', () => {
    const keys = [...new Set(keysOf(CONFIG_SCHEMA))];
    assert.ok(keys.includes('release-as') && keys.includes('mutable-tags'), keys.join(' '));
    assert.deepEqual(keys.filter((key) => !new RegExp(`(?<![\\w-])${key}(?![\\w-])`).test(readme)), []);
  });

  it('every .chartship.yaml example the README shows is one it reads', async () => {
    const examples = [...readme.matchAll(/```yaml\n((?:policy|versioning):\n[\s\S]*?)```/g)].map((m) => m[1]!);
    assert.equal(examples.length, 2);
    for (const example of examples) await parseConfig(example, 'README.md');
    await assert.rejects(parseConfig('versioning:\n  other-type: none\n', 'x.yaml'), /unknown key/);
  });
});

describe('publish --json in the README against what it prints', () => {
  const repo = createRepo();
  after(() => repo.cleanup());

  it('every key it prints is named in the README\'s sentence on it', async () => {
    repo.commit('feat: charts', { ...chartFiles('charts/lib', 'lib', '1.0.0'), ...chartFiles('charts/app', 'app', '1.0.0') });
    const layout = join(repo.dir, '.layout');
    // Every key it can print: --shards adds one, and the default policy (warn) another (a run planning shards leaves
    // the policy to them, so it is a run of its own).
    const keys = new Set<string>();
    for (const extra of [['--shards', '2'], []]) {
      const run = await runCli(['publish', '--dry-run', '--json', ...extra, '--registry', `oci-layout:${layout}`], { cwd: repo.dir, env: { PATH: process.env['PATH'], HOME: repo.dir } });
      assert.equal(run.code, 0, run.stderr);
      for (const key of Object.keys(JSON.parse(run.stdout) as object)) keys.add(key);
    }
    rmSync(layout, { recursive: true, force: true });
    assert.ok(keys.size >= 6, [...keys].join(' '));
    const start = readme.indexOf('`chartship publish --json` prints');
    assert.ok(start > 0);
    const sentence = readme.slice(start, readme.indexOf('.\n', start));
    assert.deepEqual([...keys].filter((key) => !sentence.includes(`\`${key}\``)), [], sentence);
  });
});
