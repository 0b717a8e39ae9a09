/**
 * Charts built to find where a packager parts from `helm package`: names (unicode, spaces, the ustar 100/155-byte
 * limits and PAX), nesting, empty files and directories, file modes, .helmignore corners, Chart.yaml written every
 * way YAML allows, values.yaml encodings, subcharts as directories and archives. Each case is a set of files for one
 * chart directory (`chart/`), and, when helm refuses the chart, what chartship must say (file and field named).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chartArchive, tgz } from './registry-charts.js';

/** A file with a mode of its own (helm ignores modes: every entry is 0644). */
export interface ModeFile {
  data: string | Buffer;
  mode: number;
}
/** An empty directory (helm writes no directory entries). */
export const EMPTY_DIR = Symbol('empty directory');
export type TrickyFile = string | Buffer | ModeFile | typeof EMPTY_DIR;

export interface TrickyChart {
  name: string;
  covers: string;
  /** Paths relative to the chart directory. */
  files: Record<string, TrickyFile>;
  /**
   * chartship's refusal (ChartshipError.describe()); helm must refuse too, saying `helm`. Where the majors part,
   * `by` names those that refuse (chartship reads charts as helm 4 does); the others must package the chart.
   */
  refused?: { ours: RegExp; helm: RegExp; by?: (3 | 4)[] };
}

/** Writes a case's chart into `dir` (created). */
export function writeTrickyChart(dir: string, files: Record<string, TrickyFile>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, file] of Object.entries(files)) {
    const path = join(dir, name);
    if (file === EMPTY_DIR) {
      mkdirSync(path, { recursive: true });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    const data = typeof file === 'string' || Buffer.isBuffer(file) ? file : file.data;
    writeFileSync(path, data);
    if (typeof file === 'object' && 'mode' in file) chmodSync(path, file.mode);
  }
}

const CHART = 'apiVersion: v2\nname: tricky\nversion: 1.0.0\n';
const TEMPLATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n';

/** A minimal chart with `files` over it. */
const chart = (files: Record<string, TrickyFile>, chartYaml = CHART): Record<string, TrickyFile> => ({
  'Chart.yaml': chartYaml,
  'templates/cm.yaml': TEMPLATE,
  ...files,
});

/** A path of `length` bytes under `files/`, cut into segments of at most `segment` bytes. */
function longPath(length: number, segment: number, fill = 'a'): string {
  const parts: string[] = [];
  let left = length - 'files/'.length;
  while (left > 0) {
    // The last segment must not be empty, nor a separator be last.
    const take = left - 1 > segment ? segment : left;
    parts.push(fill.repeat(take));
    left -= take + 1;
  }
  return `files/${parts.join('/')}`.slice(0, length);
}

/**
 * Entry names as the archive holds them are `tricky/<path>`: these lengths sit on each side of the 100-byte name
 * field and the 155-byte prefix of ustar, where Go switches between a plain name, a prefix split and a PAX record.
 */
const NAME_LENGTHS = [99, 100, 101, 155, 156, 157, 255, 256, 300];

/** Text helm's yaml.v2 emitter must quote, escape or fold: every way a scalar can read as something else. */
const ODD_SCALARS = [
  '', ' lead', 'trail ', 'a: b', 'a #b', '#x', '- x', '-', '?', '[x', '{x', '!x', '&x', '*x', '|', '>', "'q", '"dq', '%x', '@x', '`x',
  '1_000', '0o17', '0x1F', '1e3', '.inf', '-.Inf', '.NaN', 'null', 'Null', 'NULL', '~', 'true', 'True', 'y', 'Y', 'yes', 'on', 'Off', 'n',
  '2024-01-01', '2024-01-01T00:00:00Z', '12:30', '1:20:30', '+1', '-1', '.5', '5.', '0b101', '0755', '08', 'multi\nline', 'tab\there',
  'é', '日本', '😀', 'x'.repeat(120), 'a  b', 'a,b', 'a]b', 'a}b', 'back\\slash', '\u00a0nbsp', 'zero\u200bwidth', 'family 👨\u200d👩\u200d👧', 'bom\ufeffin',
  'nel\u0085line', 'ls\u2028sep',
];

const quoteYaml = (s: string) => JSON.stringify(s);

export function trickyCharts(): TrickyChart[] {
  const cases: TrickyChart[] = [];
  const add = (c: TrickyChart) => cases.push(c);

  // --- names ---------------------------------------------------------------------------------------------------
  add({
    name: 'unicode-names',
    covers: 'file and directory names in Latin-1, CJK, astral emoji and fullwidth letters (bytewise order, PAX records)',
    files: chart({
      'files/héllo wörld.txt': 'a\n',
      'files/日本語/データ.yaml': 'b: 1\n',
      'files/😀.txt': 'emoji\n',
      'files/ａ.txt': 'fullwidth\n',
      'files/z.txt': 'z\n',
      'files/Ä/ö/ü.txt': 'umlaut\n',
      'templates/ünï.yaml': TEMPLATE,
      'templates/café/x.yaml': TEMPLATE,
      'ñ.md': 'n\n',
    }),
  });
  add({
    name: 'spaces-and-punctuation',
    covers: 'names with spaces (leading, inner, trailing), quotes, #, %, brackets, a backslash, a newline-free oddity set',
    files: chart({
      'files/with space/a b.txt': 'x\n',
      'files/ lead.txt': 'x\n',
      'files/trail ': 'x\n',
      'files/#hash': 'x\n',
      'files/100%.txt': 'x\n',
      'files/[brackets].txt': 'x\n',
      "files/it's.txt": 'x\n',
      'files/back\\slash.txt': 'x\n',
      'templates/my config.yaml': TEMPLATE,
      'files/-dash': 'x\n',
      'files/~tilde': 'x\n',
    }),
  });
  add({
    name: 'long-names',
    covers: `entry names of ${NAME_LENGTHS.join(', ')} bytes, with short segments (ustar prefix) and one long segment (PAX only)`,
    files: chart(
      Object.fromEntries(
        NAME_LENGTHS.flatMap((length) => {
          // `tricky/` is 7 bytes of the entry name.
          const inChart = length - 'tricky/'.length;
          return [
            [longPath(inChart, 40), `segments ${length}\n`],
            [longPath(inChart, 200, 'b'), `one segment ${length}\n`],
          ];
        }),
      ),
    ),
  });
  add({
    name: 'long-unicode-names',
    covers: 'long names of multi-byte characters: over 100 bytes but under 100 characters, and a split prefix that is not ASCII',
    files: chart({
      [`files/${'é'.repeat(60)}.txt`]: 'x\n',
      [`files/${'日'.repeat(40)}/${'本'.repeat(40)}.txt`]: 'x\n',
      [`files/${'a'.repeat(90)}/${'ü'.repeat(10)}`]: 'x\n',
      [`templates/${'t'.repeat(95)}.yaml`]: TEMPLATE,
    }),
  });
  add({
    name: 'control-characters-in-names',
    covers: 'file names holding a newline, a carriage return, a tab and DEL',
    files: chart({ 'files/new\nline.txt': 'x\n', 'files/cr\r.txt': 'x\n', 'files/tab\t.txt': 'x\n', 'files/del\u007f.txt': 'x\n' }),
  });
  add({
    name: 'unicode-chart-name',
    covers: 'a chart named café: every entry name, and the archive name, is not ASCII',
    files: chart({ 'values.yaml': 'a: 1\n' }, 'apiVersion: v2\nname: café\nversion: 1.0.0-rc.1\n'),
  });
  add({
    name: 'chart-name-with-space',
    covers: 'a chart name with a space and capitals',
    files: chart({}, 'apiVersion: v2\nname: My Chart\nversion: 1.0.0\n'),
  });
  add({
    name: 'deep-nesting',
    covers: 'a file 40 directories deep, beside shallower siblings (walk order across depths)',
    files: chart({
      [`files/${Array.from({ length: 40 }, (_, i) => `d${i}`).join('/')}/leaf.txt`]: 'deep\n',
      'files/d0/a.txt': 'x\n',
      'files/d0.txt': 'x\n',
      'files/d0-x/b.txt': 'x\n',
      'files/d0/d1.txt': 'x\n',
    }),
  });
  add({
    name: 'empty-files-and-directories',
    covers: 'empty files (values.yaml, a template, a plain file), empty directories (templates/, files/, charts/, crds/)',
    files: {
      'Chart.yaml': CHART,
      'values.yaml': '',
      'templates/empty.yaml': '',
      'templates/empty-dir': EMPTY_DIR,
      'files/empty': '',
      'files/nothing': EMPTY_DIR,
      'charts': EMPTY_DIR,
      'crds': EMPTY_DIR,
      'README.md': '',
    },
  });
  add({
    name: 'file-modes',
    covers: 'executable, owner-only and read-only files (helm writes 0644 for all)',
    files: chart({
      'files/run.sh': { data: '#!/bin/sh\necho hi\n', mode: 0o755 },
      'files/secret': { data: 'owner only\n', mode: 0o600 },
      'files/ro.txt': { data: 'read only\n', mode: 0o444 },
      'templates/exec.yaml': { data: TEMPLATE, mode: 0o775 },
      'values.yaml': { data: 'a: 1\n', mode: 0o640 },
    }),
  });
  add({
    name: 'special-names-as-plain-files',
    covers: 'files named like chart files in other places or spellings (values.yml, Chart.yml, templates/values.yaml, files/Chart.yaml, charts.txt, VALUES.yaml)',
    files: chart({
      'values.yml': 'a: 1\n',
      'Chart.yml': 'name: not-this\n',
      'templates/values.yaml': TEMPLATE,
      'files/Chart.yaml': 'name: nested\n',
      'charts.txt': 'x\n',
      'VALUES.yaml': 'b: 2\n',
      'templatesx/a.yaml': 'x\n',
      'requirements.yaml': 'dependencies: []\n',
    }),
  });

  // --- .helmignore ---------------------------------------------------------------------------------------------
  const plainFiles = {
    'values.yaml': 'a: 1\n',
    'secret.txt': 'x\n',
    'notes.txt': 'x\n',
    'docs/guide.md': 'x\n',
    'docs/img/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]),
    'files/a.bak': 'x\n',
    'files/keep.txt': 'x\n',
    'files/sub/b.bak': 'x\n',
    'files/docs/inner.md': 'x\n',
    'templates/.hidden.yaml': 'x\n',
    'templates/sub/.hidden': 'x\n',
    'templates/sub/ok.yaml': TEMPLATE,
    '#notcomment': 'x\n',
    'foo # trailing': 'x\n',
    'tmp': 'a file, not a directory\n',
    '.gitignore': 'x\n',
  };
  const ignoring = (helmignore: string | Buffer): Record<string, TrickyFile> => chart({ ...plainFiles, '.helmignore': helmignore });
  add({
    name: 'helmignore-comments-spaces',
    covers: '.helmignore with comments (indented too), a #-escaped name, trailing and leading spaces, a pattern with an inner #',
    files: ignoring('# a comment\n   # indented comment\nsecret.txt   \n   notes.txt\n\\#notcomment\nfoo # trailing\n\n\t\n'),
  });
  add({
    name: 'helmignore-directories',
    covers: '.helmignore directory patterns: docs/ (any depth by base name), /tmp/ (a file named tmp stays), files/*.bak (whole path, one level)',
    files: ignoring('docs/\n/tmp/\nfiles/*.bak\n'),
  });
  add({
    name: 'helmignore-negation',
    covers: '.helmignore `!` as helm reads it: !*.yaml ignores everything that is not .yaml (the .helmignore itself, templates/, docs/)',
    files: ignoring('!*.yaml\n'),
  });
  add({
    name: 'helmignore-negated-directory',
    covers: '.helmignore `!docs/` (directories only, negated: every file is ignored) after rules that match first',
    files: chart({ 'docs/a.md': 'x\n', 'values.yaml': 'a: 1\n', '.helmignore': '*.md\n!templates/\n' }),
    refused: { ours: /\.helmignore:2: "!templates\/" leaves out Chart\.yaml/, helm: /Chart\.yaml file is missing/ },
  });
  add({
    name: 'helmignore-negation-after-match',
    covers: '.helmignore: a rule that ignores, then a negation (no re-inclusion: the first match wins)',
    files: ignoring('*.txt\n!secret.txt\n'),
    refused: { ours: /\.helmignore:2: "!secret\.txt" leaves out Chart\.yaml/, helm: /Chart\.yaml file is missing/ },
  });
  add({
    name: 'helmignore-crlf-bom',
    covers: '.helmignore written on Windows: a byte order mark and CRLF line ends',
    files: ignoring(Buffer.from('\ufeffsecret.txt\r\nnotes.txt\r\n# c\r\ndocs/\r\n', 'utf8')),
  });
  add({
    name: 'helmignore-classes-and-escapes',
    covers: '.helmignore character classes, ranges, negated classes, ? and escapes',
    files: ignoring('[sn]*.txt\nfiles/[!k]*\n?mp\n\\.gitignore\n'),
  });
  add({
    name: 'helmignore-double-star',
    covers: '.helmignore with ** (helm refuses the chart)',
    files: ignoring('docs/**/*.png\n'),
    refused: { ours: /\.helmignore:1:6: "docs\/\*\*\/\*\.png": double-star/, helm: /double-star \(\*\*\) syntax is not supported/ },
  });
  add({
    name: 'helmignore-bad-pattern',
    covers: '.helmignore with an unclosed character class (helm refuses the chart)',
    files: ignoring('# fine\nfiles/[abc\n'),
    refused: { ours: /\.helmignore:2:7: "files\/\[abc": bad pattern/, helm: /syntax error in pattern/ },
  });
  add({
    name: 'helmignore-trailing-backslash',
    covers: '.helmignore line `secret.txt\\ ` (an escaped trailing space, trimmed to a bad pattern)',
    files: ignoring('secret.txt\\ \n'),
    refused: { ours: /\.helmignore:1:12: "secret\.txt\\\\": bad pattern/, helm: /syntax error in pattern/ },
  });
  add({
    name: 'helmignore-odd-patterns',
    covers: '.helmignore: ./values.yaml (matches nothing), /templates/sub/*.yaml, [^k] and [\\]] classes, a unicode range, a name with a space, .helmignore itself',
    files: chart({
      ...plainFiles,
      'files/with space/x.txt': 'x\n',
      'files/ñu.txt': 'x\n',
      'files/]x': 'x\n',
      '.helmignore': './values.yaml\n/templates/sub/*.yaml\nfiles/[^k]*.bak\nfiles/[\\]]x\n[a-ñ]u.txt\nwith space/\n.helmignore\n',
    }),
  });
  add({
    name: 'helmignore-hidden-template-directory',
    covers: "templates/.hidden/ (a directory helm's own templates/.?* rule drops whole) beside templates/..x and templates/a/.b",
    files: chart({ 'templates/.hidden/x.yaml': TEMPLATE, 'templates/..x': 'x\n', 'templates/a/.b': 'x\n' }),
  });
  add({
    name: 'helmignore-ignores-chart-files',
    covers: '.helmignore dropping values.yaml, Chart.lock, values.schema.json and README.md',
    files: chart({
      'values.yaml': 'a: 1\n',
      'values.schema.json': '{"type":"object"}\n',
      'README.md': '# r\n',
      '.helmignore': 'values.yaml\nvalues.schema.json\nREADME.md\n',
    }),
  });

  // --- Chart.yaml ----------------------------------------------------------------------------------------------
  const withChart = (chartYaml: string | Buffer, files: Record<string, TrickyFile> = {}) => chart(files, chartYaml as string);
  add({
    name: 'chart-yaml-comments-anchors',
    covers: 'Chart.yaml with comments everywhere, anchors and aliases, a merge key in annotations, keys in odd order',
    files: withChart(
      [
        '# top comment',
        'version: 1.0.0 # trailing',
        'annotations: &ann',
        '  <<: {base: "1"}',
        '  z: last',
        '  a: first',
        'description: &desc Shared text',
        'name: tricky',
        'home: https://example.com',
        'sources: [*desc, https://example.com/src]',
        'apiVersion: v2   # api',
        '',
      ].join('\n'),
    ),
  });
  add({
    name: 'chart-yaml-flow',
    covers: 'Chart.yaml in flow style, on one line',
    files: withChart('{apiVersion: v2, name: tricky, version: 1.0.0, keywords: [a, b], maintainers: [{name: Ann, email: ann@example.com}]}\n'),
  });
  add({
    name: 'chart-yaml-float-version',
    covers: 'Chart.yaml `version: 1.0` (a YAML float) and `appVersion: 1.20`',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0\nappVersion: 1.20\n'),
  });
  add({
    name: 'chart-yaml-int-version',
    covers: 'Chart.yaml `version: 2` (a YAML integer) and appVersion 010 (octal-looking)',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 2\nappVersion: 010\n'),
  });
  add({
    name: 'chart-yaml-quoted-scalars',
    covers: 'quoted versions, single-quoted text with escapes, a folded and a literal block description with newlines and unicode',
    files: withChart(
      [
        "apiVersion: 'v2'",
        'name: "tricky"',
        'version: "1.0.0+build.7"',
        "appVersion: 'it''s 1.0'",
        'description: >',
        '  A long folded description that goes on and on, well past the eighty columns yaml.v2 folds plain text at,',
        '  with ünïcödé, 日本語 and emoji 😀, and a second line.',
        '',
        '  A paragraph after a blank line.',
        'home: "https://example.com/a b"',
        'icon: |',
        '  literal',
        '  lines',
        '',
      ].join('\n'),
    ),
  });
  add({
    name: 'chart-yaml-odd-scalars',
    covers: `keywords, annotations and a maintainer holding ${ODD_SCALARS.length} scalars yaml.v2 must quote, escape, fold or sanitise`,
    files: withChart(
      [
        'apiVersion: v2',
        'name: tricky',
        'version: 1.0.0',
        `description: ${quoteYaml(ODD_SCALARS.join(' | '))}`,
        'keywords:',
        ...ODD_SCALARS.map((s) => `  - ${quoteYaml(s)}`),
        'annotations:',
        // A separator after the number: yaml.v2 orders `k4a` and `k42` differently by which it meets first (helm's own
        // order then varies from run to run, as Go's map order does).
        ...ODD_SCALARS.map((s, i) => `  ${quoteYaml(/[\u0085\u2028]/.test(s) ? `k${i}` : `k${i}-${s}`)}: ${quoteYaml(s)}`),
        'maintainers:',
        ...ODD_SCALARS.slice(0, 20).map((s) => `  - name: ${quoteYaml(`m${s}`)}\n    email: ${quoteYaml(s)}\n    url: ${quoteYaml(s)}`),
        '',
      ].join('\n'),
    ),
  });
  add({
    name: 'chart-yaml-line-breaks-in-annotations',
    covers: 'annotations and import-values holding NEL and LS (escaped in Chart.yaml, never sanitised): helm folds a NEL as YAML folds a line break',
    files: withChart(
      'apiVersion: v2\nname: tricky\nversion: 1.0.0\nannotations:\n  "c\\Ld": ls\n  e: "f\\Ng\\Lh"\n  runs: "x \\N \\N  y\\Nz\\N"\ndependencies:\n  - name: sub\n    version: 1.0.0\n    import-values: ["a\\Nb", {child: "c\\N\\Nd", parent: p}]\n',
      { 'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 1.0.0\n' },
    ),
  });
  add({
    name: 'chart-yaml-nel-in-annotation-key',
    covers: 'an annotation key holding NEL: helm fails to save the chart',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\nannotations:\n  ok: fine\n  "a\\Nb": nel\n'),
    refused: { ours: /Chart\.yaml:6:\d+: annotations: the key "a\\u0085b" .*NEL/, helm: /failed to save: yaml: .*did not find expected ',' or '}'/ },
  });
  add({
    name: 'chart-yaml-escaped-control-in-annotation',
    covers: 'an annotation value with DEL written as an escape (YAML reads it; helm cannot write it back)',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\nannotations:\n  a: "x\\x7fy"\n'),
    refused: { ours: /Chart\.yaml:5:\d+: annotations\.a: the text "x\\u007Fy" .*U\+007F/, helm: /failed to save: yaml: control characters are not allowed/ },
  });
  add({
    name: 'chart-yaml-control-characters',
    covers: 'Chart.yaml text holding control characters (DEL, BEL), which YAML forbids: helm refuses',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\ndescription: "bell\u0007 del\u007f"\n'),
    refused: { ours: /Chart\.yaml:4:19: holds the control character U\+0007/, helm: /control characters are not allowed/ },
  });
  add({
    name: 'chart-yaml-annotation-key-order',
    covers: 'annotation keys yaml.v2 sorts its own way: digits by value, case, punctuation, non-ASCII, empty',
    files: withChart(
      `apiVersion: v2\nname: tricky\nversion: 1.0.0\nannotations:\n${['a10', 'a9', 'a09', 'A', 'b', '_x', 'a.b', 'a-b', 'ä', '1', '10', '2', '-1', '1.5', '', 'Z', 'a', 'aa', 'a b', '日', 'x1y2', 'x1y10', 'true', 'null']
        .map((k) => `  ${quoteYaml(k)}: v`)
        .join('\n')}\n`,
    ),
  });
  add({
    name: 'chart-yaml-long-keys-and-block-text',
    covers: 'annotation keys of 127 to 300 characters (yaml.v2 writes long ones as `? key`), and multi-line values: trailing newlines, leading and trailing spaces, tabs, CRLF',
    files: withChart(
      `apiVersion: v2\nname: tricky\nversion: 1.0.0\nannotations:\n${[127, 128, 129, 200, 300]
        .map((n) => `  ${'k'.repeat(n)}: long\n  ${quoteYaml(`${'s '.repeat(n / 2)}x`)}: spaced`)
        .join('\n')}\n${['a\nb', 'a\nb\n', 'a\nb\n\n', ' lead\nx', 'trail \nx', 'a\n\tb', '\n', 'a\r\nb', 'x\n ', 'é\n日本\n😀', '- a\n- b', '#c\nd', 'a: b\nc: d', `${'w '.repeat(60)}\n${'v '.repeat(60)}`]
        .map((v, i) => `  block${i}: ${quoteYaml(v)}`)
        .join('\n')}\n`,
    ),
  });
  add({
    name: 'chart-yaml-import-values-json',
    covers: 'import-values holding numbers, booleans, null, nested lists and maps (helm marshals them through JSON)',
    files: withChart(
      'apiVersion: v2\nname: tricky\nversion: 1.0.0\ndependencies:\n  - name: sub\n    version: 1.0.0\n    enabled: true\n    tags: ["t\\u00a01", t2]\n    import-values:\n      - 1.0\n      - 1e20\n      - 12345678901234567890\n      - -9223372036854775808\n      - 18446744073709551615\n      - 0x10\n      - true\n      - ~\n      - [a, [b, 1.5]]\n      - {child: {deep: [1, {x: y}]}, parent: "yes", 10: ten, 9: nine}\n',
      { 'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 1.0.0\n' },
    ),
  });
  add({
    name: 'chart-yaml-tags-and-directive',
    covers: 'Chart.yaml with a %YAML 1.1 directive, !!str on a float version, a !!str appVersion and a document end before junk',
    files: withChart('%YAML 1.1\n---\napiVersion: v2\nname: tricky\nversion: !!str 1.0.0\nappVersion: !!str 1.10\ndescription: !!str yes\n...\n{not yaml\n'),
  });
  add({
    name: 'chart-yaml-unknown-and-cased-keys',
    covers: 'unknown keys (nested too) and keys spelled with other case (Description, APPVERSION): encoding/json matches fields case-insensitively',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\nDescription: capital D\nAPPVERSION: "3.0"\nunknown: {nested: [1, 2]}\nx-extra: yes\n'),
  });
  add({
    name: 'chart-yaml-case-duplicates',
    covers: 'Version and version both given: which one helm keeps',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\nVersion: 2.0.0\n'),
  });
  add({
    name: 'chart-yaml-bom-crlf',
    covers: 'Chart.yaml with a byte order mark and CRLF line ends',
    files: withChart(Buffer.from('\ufeffapiVersion: v2\r\nname: tricky\r\nversion: 1.0.0\r\ndescription: |\r\n  two\r\n  lines\r\n', 'utf8')),
  });
  add({
    name: 'chart-yaml-dependencies-full',
    covers: 'dependencies with alias, condition, tags, import-values (strings and child/parent maps), vendored as a directory and as a .tgz, and a Chart.lock',
    files: withChart(
      [
        'apiVersion: v2',
        'name: tricky',
        'version: 1.0.0',
        'dependencies:',
        '  - name: dirsub',
        '    version: ">=0.1.0"',
        '    alias: first',
        '    condition: first.enabled,global.first',
        '    tags: [front, "back end"]',
        '    import-values:',
        '      - data',
        '      - child: exports.x',
        '        parent: imported',
        '  - name: dirsub',
        '    version: 0.1.x',
        '    alias: second',
        '  - name: tgzsub',
        '    version: ~2.0.0',
        '    repository: https://charts.example.com',
        '    enabled: false',
        '',
      ].join('\n'),
      {
        'Chart.lock': '# hand edited\ndependencies:\n- name: dirsub\n  version: 0.1.0\n  repository: ""\n- name: tgzsub\n  repository: https://charts.example.com\n  version: 2.0.3\ndigest: sha256:abc\ngenerated: 2020-01-02T03:04:05.000000006Z\n',
        'charts/dirsub/Chart.yaml': 'apiVersion: v2\nname: dirsub\nversion: 0.1.0\n',
        'charts/dirsub/values.yaml': '\ufeffexports:\n  x: 1\n',
        'charts/dirsub/templates/cm.yaml': TEMPLATE,
        'charts/tgzsub-2.0.3.tgz': chartArchive({ name: 'tgzsub', version: '2.0.3', files: { 'files/ünï cödé.txt': 'x\n', [`files/${'l'.repeat(120)}.txt`]: 'x\n' } }),
      },
    ),
  });
  add({
    name: 'chart-yaml-missing-version',
    covers: 'Chart.yaml without a version (helm refuses)',
    files: withChart('apiVersion: v2\nname: tricky\n'),
    refused: { ours: /Chart\.yaml: version: is required/, helm: /version is required/ },
  });
  add({
    name: 'chart-yaml-bad-version',
    covers: 'Chart.yaml version 1.2.3.4 (helm refuses)',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.2.3.4\n'),
    refused: { ours: /Chart\.yaml:3:1: version: "1\.2\.3\.4" is not a valid version/, helm: /version "1\.2\.3\.4" is invalid/ },
  });
  add({
    name: 'chart-yaml-bad-type',
    covers: 'Chart.yaml type: plugin (helm refuses)',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\ntype: plugin\n'),
    refused: { ours: /Chart\.yaml:4:1: type: must be "application" or "library"/, helm: /chart\.metadata\.type must be application or library/ },
  });
  add({
    name: 'chart-yaml-bool-as-string',
    covers: 'Chart.yaml deprecated: "true" (text where helm wants a boolean: refused)',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\ndeprecated: "true"\n'),
    refused: { ours: /Chart\.yaml:4:13: deprecated: must be true or false/, helm: /deprecated/ },
  });
  add({
    name: 'chart-yaml-keywords-scalar',
    covers: 'Chart.yaml keywords: one string instead of a list (refused)',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\nkeywords: web\n'),
    refused: { ours: /Chart\.yaml:4:11: keywords: must be a list/, helm: /keywords/ },
  });
  add({
    name: 'chart-yaml-bad-kube-version',
    covers: 'Chart.yaml kubeVersion that is no constraint (helm refuses)',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\nkubeVersion: "not a range"\n'),
  });
  add({
    name: 'chart-yaml-null-maintainer',
    covers: 'Chart.yaml with an empty maintainers entry (helm refuses)',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\nmaintainers:\n  -\n  - name: Ann\n'),
    refused: { ours: /Chart\.yaml:5:4: maintainers\[0\]: must not be empty/, helm: /maintainers must not contain empty or null nodes/ },
  });
  add({
    name: 'chart-yaml-duplicate-alias',
    covers: 'two dependencies under one alias (helm refuses)',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\ndependencies:\n  - name: a\n    version: 1.0.0\n    alias: same\n  - name: b\n    version: 1.0.0\n    alias: same\n', {
      'charts/a/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 1.0.0\n',
      'charts/b/Chart.yaml': 'apiVersion: v2\nname: b\nversion: 1.0.0\n',
    }),
    refused: { ours: /Chart\.yaml:8:5: dependencies\[1\]: more than one dependency with name or alias "same"/, helm: /more than one dependency with name or alias "same"/ },
  });

  // --- values, templates, schema, crds, docs -------------------------------------------------------------------
  add({
    name: 'values-bom-crlf',
    covers: 'values.yaml with a byte order mark and CRLF line ends, a schema and crds/ with nesting, _helpers.tpl, NOTES.txt, README.md, LICENSE',
    files: chart({
      'values.yaml': Buffer.from('\ufeff# comment\r\nreplicas: 1\r\nimage:\r\n  tag: "1.0"\r\n', 'utf8'),
      'values.schema.json': Buffer.from('\ufeff{\r\n  "type": "object"\r\n}\r\n', 'utf8'),
      'templates/_helpers.tpl': '{{- define "tricky.name" -}}{{ .Chart.Name }}{{- end -}}\n',
      'templates/NOTES.txt': 'Thanks\r\n',
      'templates/tests/test.yaml': TEMPLATE,
      'crds/a.yaml': 'kind: CustomResourceDefinition\n',
      'crds/nested/b.yaml': 'kind: CustomResourceDefinition\n',
      'README.md': '# Tricky\r\n',
      'LICENSE': 'Apache License\n',
    }),
  });
  add({
    name: 'values-anchors-and-duplicates',
    covers: 'values.yaml with anchors, a merge key and a repeated key (kept raw)',
    files: chart({ 'values.yaml': 'base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2\nkey: 1\nkey: 2\n' }),
  });
  add({
    name: 'values-not-yaml',
    covers: 'values.yaml that is no YAML mapping (a list): helm refuses',
    files: chart({ 'values.yaml': '- a\n- b\n' }),
    refused: { ours: /values\.yaml:1:1: values must be a mapping/, helm: /values\.yaml/ },
  });
  add({
    name: 'values-tab-indented',
    covers: 'values.yaml indented with a tab: helm refuses',
    files: chart({ 'values.yaml': 'a:\n\tb: 1\n' }),
    refused: { ours: /values\.yaml:2:1: malformed YAML/, helm: /values\.yaml/ },
  });
  add({
    name: 'values-multi-document',
    covers: 'values.yaml of two documents, the second one a list: helm 3 reads the first alone, helm 4 reads both and refuses',
    files: chart({ 'values.yaml': 'a: 1\n---\n- b\n' }),
    refused: { ours: /values\.yaml:3:1: values must be a mapping/, helm: /cannot unmarshal array/, by: [4] },
  });
  add({
    name: 'values-control-character',
    covers: 'values.yaml with a raw escape character (ANSI colour) in a comment: YAML forbids it, helm refuses',
    files: chart({ 'values.yaml': '# \u001b[31mred\u001b[0m\na: 1\n' }),
    refused: { ours: /values\.yaml:1:3: holds the control character U\+001B/, helm: /control characters are not allowed/ },
  });
  add({
    name: 'values-latin1',
    covers: 'values.yaml saved as Latin-1 (an é in a comment is byte 0xE9, no UTF-8): helm refuses',
    files: chart({ 'values.yaml': Buffer.from('# caf\u00e9\na: 1\n', 'latin1') }),
    refused: { ours: /values\.yaml:1:6: is not UTF-8: byte 0xE9/, helm: /UTF-8/ },
  });
  add({
    name: 'chart-yaml-latin1',
    covers: 'Chart.yaml saved as Latin-1 (description café as byte 0xE9): helm refuses',
    files: withChart(Buffer.from('apiVersion: v2\nname: tricky\nversion: 1.0.0\ndescription: caf\u00e9\n', 'latin1')),
    refused: { ours: /Chart\.yaml:4:17: is not UTF-8: byte 0xE9/, helm: /UTF-8/ },
  });
  add({
    name: 'raw-bytes-kept',
    covers: 'files helm copies without reading: Latin-1 and control bytes in a template, NUL bytes, invalid UTF-8',
    files: chart({
      'templates/latin1.yaml': Buffer.from('# caf\u00e9\nkind: ConfigMap\n', 'latin1'),
      'files/binary.bin': Buffer.from([0, 1, 2, 0xff, 0xfe, 0xc3, 0x28, 0x1b, 0x7f, 0]),
      'files/bom-only.txt': Buffer.from([0xef, 0xbb, 0xbf]),
      'files/double-bom.txt': Buffer.from('\ufeff\ufeffx', 'utf8'),
    }),
  });
  add({
    name: 'values-yaml-1-2-directive',
    covers: 'values.yaml opening with %YAML 1.2 (yaml.v2 reads only 1.1)',
    files: chart({ 'values.yaml': '%YAML 1.2\n---\na: 1\n' }),
    refused: { ours: /values\.yaml:1:1: %YAML 1\.2: helm reads YAML 1\.1 documents only/, helm: /found incompatible YAML document/ },
  });
  add({
    name: 'values-separator-comment',
    covers: 'values.yaml documents split by `--- # comment` lines, the first one empty, CRLF',
    files: chart({ 'values.yaml': '--- # first\r\na: 1\r\n--- # second\r\nb: {c: 2}\r\n---\r\n' }),
  });
  add({
    name: 'values-separator-with-content',
    covers: 'values.yaml with `--- b: 2` (content on the separator line): helm 3 reads it, helm 4 refuses',
    files: chart({ 'values.yaml': 'a: 1\n--- b: 2\n' }),
    refused: { ours: /values\.yaml:2:4: "b: 2" follows the document separator ---/, helm: /invalid Yaml document separator: b: 2/, by: [4] },
  });
  add({
    name: 'chart-yaml-1-2-directive',
    covers: 'Chart.yaml opening with %YAML 1.2 (yaml.v2 reads only 1.1)',
    files: withChart('%YAML 1.2\n---\napiVersion: v2\nname: tricky\nversion: 1.0.0\n'),
    refused: { ours: /Chart\.yaml:1:1: %YAML 1\.2: helm reads YAML 1\.1 documents only/, helm: /found incompatible YAML document/ },
  });
  add({
    name: 'values-complex-key',
    covers: 'values.yaml with a list as a mapping key',
    files: chart({ 'values.yaml': '? [a, b]\n: c\n' }),
    refused: { ours: /values\.yaml:1:3: a list cannot be a key/, helm: /invalid map key/ },
  });
  add({
    name: 'values-null-key',
    covers: 'values.yaml with a null key (~)',
    files: chart({ 'values.yaml': 'a: 1\n~: c\n' }),
    refused: { ours: /values\.yaml:2:1: a null cannot be a key/, helm: /unsupported map key of type: %!s\(<nil>\)/ },
  });
  add({
    name: 'values-odd-keys',
    covers: 'values.yaml with number and boolean keys, many aliases of one anchor, and a document end followed by more text',
    files: chart({ 'values.yaml': `1: a\ntrue: b\n1.5: d\nbase: &b {x: 1}\n${Array.from({ length: 200 }, (_, i) => `r${i}: *b`).join('\n')}\n...\nnot: [yaml\n` }),
  });
  add({
    name: 'schema-not-json',
    covers: 'values.schema.json that is not JSON',
    files: chart({ 'values.schema.json': '{"type": "object",}\n' }),
    refused: { ours: /values\.schema\.json:1:19: invalid JSON/, helm: /[Ii]nvalid JSON in values\.schema\.json/ },
  });

  // --- subcharts -----------------------------------------------------------------------------------------------
  add({
    name: 'subcharts-mixed',
    covers: 'subcharts as a directory named unlike its chart, nested subcharts, a .tgz with odd names, _ and . entries in charts/ that helm skips',
    files: chart({
      'charts/mydir/Chart.yaml': 'apiVersion: v2\nname: renamed\nversion: 0.2.0\n',
      'charts/mydir/charts/inner/Chart.yaml': 'apiVersion: v2\nname: inner\nversion: 0.0.1\n',
      'charts/mydir/charts/inner/templates/x.yaml': TEMPLATE,
      'charts/mydir/charts/inner-1.0.0.tgz': chartArchive({ name: 'packed', version: '1.0.0' }),
      'charts/archived-3.1.4.tgz': chartArchive({ name: 'archived', version: '3.1.4', files: { 'templates/sp ace.yaml': TEMPLATE, 'charts/deeper/Chart.yaml': 'apiVersion: v2\nname: deeper\nversion: 9.9.9\n' } }),
      'charts/.gitkeep': '',
      'charts/_skipped/Chart.yaml': 'not: a chart\n',
      'charts/.hidden/Chart.yaml': 'not: a chart\n',
    }),
  });
  add({
    name: 'subchart-own-helmignore',
    covers: "a subchart directory's own .helmignore (helm applies the parent's alone, and packages the subchart's as a file)",
    files: chart({
      '.helmignore': '*.bak\n',
      'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
      'charts/sub/.helmignore': 'secret.txt\n*.md\n',
      'charts/sub/secret.txt': 'x\n',
      'charts/sub/README.md': '# sub\n',
      'charts/sub/old.bak': 'x\n',
      'charts/sub/templates/.hidden.yaml': 'x\n',
    }),
  });
  add({
    name: 'subchart-archive-with-prov',
    covers: 'a vendored subchart archive with its .prov beside it in charts/',
    files: chart({
      'charts/signed-1.0.0.tgz': chartArchive({ name: 'signed', version: '1.0.0' }),
      'charts/signed-1.0.0.tgz.prov': '-----BEGIN PGP SIGNED MESSAGE-----\n',
    }),
  });
  add({
    name: 'subchart-directory-without-chart-yaml',
    covers: 'a directory in charts/ with values.yaml but no Chart.yaml: helm refuses',
    files: chart({ 'charts/sub/values.yaml': 'a: 1\n' }),
    refused: { ours: /charts\/sub\/Chart\.yaml: Chart\.yaml is missing/, helm: /Chart\.yaml file is missing/ },
  });
  add({
    name: 'subchart-archive-not-gzip',
    covers: 'a .tgz in charts/ that is no gzip stream: helm refuses',
    files: chart({ 'charts/broken-1.0.0.tgz': 'not an archive\n' }),
    refused: { ours: /charts\/broken-1\.0\.0\.tgz/, helm: /broken-1\.0\.0\.tgz|gzip/ },
  });
  add({
    name: 'subchart-archive-nesting-archive',
    covers: 'a subchart archive holding a subchart archive of its own',
    files: chart({
      'charts/wrap-2.0.0.tgz': tgz([
        { path: 'wrap/Chart.yaml', data: 'apiVersion: v2\nname: wrap\nversion: 2.0.0\n' },
        { path: 'wrap/charts/inner-1.0.0.tgz', data: chartArchive({ name: 'inner', version: '1.0.0' }) },
      ]),
    }),
  });
  add({
    name: 'chart-lock-variants',
    covers: 'a hand-written Chart.lock: CRLF, a BOM, keys out of order, unknown keys, an offset timestamp, dependencies with alias and condition',
    files: withChart('apiVersion: v2\nname: tricky\nversion: 1.0.0\ndependencies:\n  - name: sub\n    version: 1.x\n    alias: s\n', {
      'Chart.lock': Buffer.from('\ufeff# lock\r\ngenerated: 2021-03-04T05:06:07.5+05:30\r\nextra: x\r\ndependencies:\r\n- version: 1.0.0\r\n  name: sub\r\n  alias: s\r\n  condition: s.enabled\r\n  repository: ""\r\ndigest: sha256:0f\r\n', 'utf8'),
      'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 1.0.0\n',
    }),
  });
  add({
    name: 'chart-lock-date-only',
    covers: 'a Chart.lock whose generated is a bare date (no RFC 3339 time): helm refuses',
    files: withChart(CHART, { 'Chart.lock': 'dependencies: []\ndigest: sha256:00\ngenerated: 2021-03-04\n' }),
    refused: { ours: /Chart\.lock:3:\d+: generated/, helm: /cannot load Chart\.lock: .*parsing time "2021-03-04"/ },
  });
  add({
    name: 'schema-odd-json',
    covers: 'values.schema.json that is JSON but no object (a list), with a huge number and an escaped lone surrogate',
    files: chart({ 'values.schema.json': '[1e999, "\\ud800", {"a": {"a": 1, "a": 2}}]\n' }),
  });
  add({
    name: 'schema-empty',
    covers: 'an empty values.schema.json: helm refuses',
    files: chart({ 'values.schema.json': '' }),
    refused: { ours: /values\.schema\.json(:1:1)?: invalid JSON/, helm: /[Ii]nvalid JSON in values\.schema\.json/ },
  });
  add({
    name: 'file-over-5-mib',
    covers: "a file one byte over helm's 5 MiB limit for a file of a chart: helm refuses",
    files: chart({ 'files/big.bin': Buffer.alloc(5 * 1024 * 1024 + 1, 'a') }),
    refused: { ours: /files\/big\.bin: file is 5242881 bytes, over helm's limit/, helm: /chart file "big\.bin" is larger than the maximum file size 5242880/ },
  });
  add({
    name: 'subcharts-stray-file',
    covers: 'a README in charts/ (neither a chart directory nor a .tgz): helm refuses',
    files: chart({ 'charts/README.md': '# deps\n' }),
    refused: { ours: /charts\/README\.md: is neither a chart directory nor a chart archive/, helm: /README\.md/ },
  });
  add({
    name: 'subcharts-lock-v1',
    covers: 'apiVersion v1 with requirements.yaml, requirements.lock and the dependency vendored, plus a Chart.lock helm ignores for v1',
    files: withChart('apiVersion: v1\nname: tricky\nversion: 1.0.0\n', {
      'requirements.yaml': 'dependencies:\n  - name: sub\n    version: 1.x\n    alias: s\n',
      'requirements.lock': 'dependencies:\n- name: sub\n  repository: ""\n  version: 1.0.0\ndigest: sha256:00\ngenerated: "2020-01-01T00:00:00Z"\n',
      'Chart.lock': 'dependencies: []\ndigest: sha256:11\ngenerated: "2020-01-01T00:00:00Z"\n',
      'charts/sub/Chart.yaml': 'apiVersion: v1\nname: sub\nversion: 1.0.0\n',
    }),
  });
  return cases;
}
