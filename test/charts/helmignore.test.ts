import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadChart } from '../../src/charts/load.js';
import { parseHelmignore } from '../../src/charts/helmignore.js';
import { ChartshipError } from '../../src/model/errors.js';
import { chartYaml, tempDirs, writeFiles } from '../package/fixtures.js';

const temp = tempDirs();
after(() => temp.cleanup());

/** Every file path helm would package for a chart made of `files` plus Chart.yaml and the given .helmignore. */
async function kept(helmignore: string, files: string[]): Promise<string[]> {
  const dir = writeFiles(temp.make(), {
    'Chart.yaml': chartYaml('c', '1.0.0'),
    '.helmignore': helmignore,
    ...Object.fromEntries(files.map((f) => [f, f])),
  });
  const chart = await loadChart(dir);
  return [...chart.templates, ...chart.files].map((f) => f.name).filter((n) => n !== '.helmignore');
}

describe('parseHelmignore: helm pkg/ignore rules_test table', () => {
  const cases: [string, string, boolean, boolean][] = [
    // pattern, path, isDir, ignored
    ['helm.txt', 'helm.txt', false, true],
    ['helm.*', 'helm.txt', false, true],
    ['helm.*', 'rudder.txt', false, false],
    ['*.txt', 'tiller.txt', false, true],
    ['*.txt', 'cargo/a.txt', false, true],
    ['cargo/*.txt', 'cargo/a.txt', false, true],
    ['cargo/*.*', 'cargo/a.txt', false, true],
    ['cargo/*.txt', 'mast/a.txt', false, false],
    ['ru[c-e]?er.txt', 'rudder.txt', false, true],
    ['templates/.?*', 'templates/.dotfile', false, true],
    ['.*', '.', true, false],
    ['.*', './', true, false],
    ['.*', '.joonix', true, true],
    ['.*', 'helm.txt', false, false],
    ['.*', '', true, false],
    ['cargo/', 'cargo', true, true],
    ['cargo/', 'cargo/', true, true],
    ['cargo/', 'mast/', true, false],
    ['helm.txt/', 'helm.txt', false, false],
    ['!helm.txt', 'helm.txt', false, false],
    ['!helm.txt', 'tiller.txt', false, true],
    ['!*.txt', 'cargo', true, true],
    ['!cargo/', 'mast/', true, true],
    ['/a.txt', 'a.txt', false, true],
    ['/a.txt', 'cargo/a.txt', false, false],
    ['/cargo/a.txt', 'cargo/a.txt', false, true],
  ];
  for (const [pattern, path, isDir, ignored] of cases) {
    it(`${pattern} vs ${JSON.stringify(path)} → ${ignored ? 'ignored' : 'kept'}`, () => {
      assert.equal(parseHelmignore(pattern).matches(path, isDir), ignored);
    });
  }

  it('follows Go filepath.Match: * and ? stop at /, classes negate with ^, \\ escapes', () => {
    const r = (p: string) => parseHelmignore(p);
    assert.equal(r('a*/b').matches('ax/y/b', false), false);
    assert.equal(r('a?b/c').matches('a/b/c', false), false);
    assert.equal(r('x[^a-c]z').matches('xdz', false), true);
    assert.equal(r('x[^a-c]z').matches('xbz', false), false);
    assert.equal(r('\\*.md').matches('*.md', false), true);
    assert.equal(r('\\*.md').matches('a.md', false), false);
    // Unlike POSIX globs, Go refuses "]" or "-" as the first member of a class.
    assert.throws(() => r('[]a]'), ChartshipError);
    assert.throws(() => r('[-a]'), ChartshipError);
  });

  it('rejects ** and malformed patterns, naming the .helmignore line', () => {
    for (const [text, line] of [
      ['ok\n\nfoo/**/bar\n', 3],
      ['# c\n[z-\n', 2],
      ['a\\', 1],
    ] as const) {
      assert.throws(
        () => parseHelmignore(text, '/c/.helmignore'),
        (e: unknown) => e instanceof ChartshipError && e.file === '/c/.helmignore' && e.line === line,
        text,
      );
    }
  });

  it('ignores() also answers for paths under an ignored directory', () => {
    const rules = parseHelmignore('docs/\n');
    assert.equal(rules.matches('docs/a.md', false), false);
    assert.equal(rules.ignores('docs/a.md', false), true);
    assert.equal(rules.ignores('templates/docs.yaml', false), false);
  });
});

describe('.helmignore applied while loading a chart directory', () => {
  const files = ['README.md', 'notes.txt', 'docs/guide.md', 'docs/img/a.png', 'templates/deploy.yaml', 'templates/docs/x.yaml', 'templates/.swp', 'ci/values.txt'];

  it('blank lines and # comments are skipped, lines are trimmed', async () => {
    assert.deepEqual(await kept('\n# README.md\n   notes.txt   \n', files), ['templates/deploy.yaml', 'templates/docs/x.yaml', 'README.md', 'ci/values.txt', 'docs/guide.md', 'docs/img/a.png']);
  });

  it('a pattern without / matches the base name at any depth', async () => {
    assert.deepEqual(await kept('*.md\n', files), ['templates/deploy.yaml', 'templates/docs/x.yaml', 'ci/values.txt', 'docs/img/a.png', 'notes.txt']);
  });

  it('a pattern with / matches the whole relative path; * does not cross /', async () => {
    assert.deepEqual(await kept('docs/*.md\n*/x.yaml\n', files), ['templates/deploy.yaml', 'templates/docs/x.yaml', 'README.md', 'ci/values.txt', 'docs/img/a.png', 'notes.txt']);
  });

  it('a leading / anchors at the chart root', async () => {
    assert.deepEqual(await kept('/docs\n', files), ['templates/deploy.yaml', 'templates/docs/x.yaml', 'README.md', 'ci/values.txt', 'notes.txt']);
  });

  it('a trailing / matches directories only, and an ignored directory drops its subtree', async () => {
    assert.deepEqual(await kept('docs/\nnotes.txt/\n', files), ['templates/deploy.yaml', 'README.md', 'ci/values.txt', 'notes.txt']);
  });

  it('templates/.?* is always added', async () => {
    const all = await kept('', files);
    assert.ok(!all.includes('templates/.swp'));
    assert.ok(all.includes('templates/deploy.yaml'));
  });

  it('!pat ignores every path that does not match pat (directories included)', async () => {
    // helm's negation is not gitignore's: Chart.yaml survives, but the templates directory does not match and goes.
    assert.deepEqual(await kept('!*.yaml\n', files), []);
  });

  it('!pat/ ignores every file, Chart.yaml included', async () => {
    await assert.rejects(kept('!templates/\n', files), (e: unknown) => e instanceof ChartshipError && /"!templates\/" leaves out Chart\.yaml/.test(e.message));
  });

  it('a rule that leaves out Chart.yaml is named with its line (helm only says Chart.yaml is missing)', async () => {
    for (const [text, says] of [
      ['# keep the docs only\n*.txt\n!keep.txt\n', '.helmignore:3: "!keep.txt" leaves out Chart.yaml, so helm finds no chart here (helm\'s !keep.txt leaves out every file that does not match keep.txt: remove the line)'],
      ['values-*.yaml\n  *.yaml  \n', '.helmignore:2: "*.yaml" leaves out Chart.yaml, so helm finds no chart here (narrow or remove the pattern)'],
    ] as const) {
      const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), '.helmignore': text });
      await assert.rejects(loadChart(dir), (e: unknown) => e instanceof ChartshipError && e.describe() === `${join(dir, says)}`);
    }
  });

  it('character classes and ? follow Go filepath.Match', async () => {
    assert.deepEqual(await kept('[n-v]*.txt\nREADM?.md\n', files), ['templates/deploy.yaml', 'templates/docs/x.yaml', 'docs/guide.md', 'docs/img/a.png']);
  });

  it('an ignored symlink leaving the chart is not an error', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), '.helmignore': 'outside\n' });
    symlinkSync('/etc/hostname', join(dir, 'outside'));
    const chart = await loadChart(dir);
    assert.deepEqual(chart.files.map((f) => f.name), ['.helmignore']);
  });

  it('** in .helmignore fails the load, naming the file and line', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), '.helmignore': '*.tmp\nsrc/**/x\n' });
    await assert.rejects(loadChart(dir), (e: unknown) => e instanceof ChartshipError && e.file === join(dir, '.helmignore') && e.line === 2 && /\*\*/.test(e.message));
  });
});
