/**
 * The fast path for plain block YAML (src/charts/plain-yaml.ts) against the `yaml` package's full reading, which is
 * what helm parity was established with: on every YAML text the tests of charts, packaging, planning and change
 * detection use, and on generated text (typical, odd and broken). Whenever the fast path answers, its document must
 * equal the full reader's node for node, position for position; where the full reader refuses the text, the fast
 * path must leave it to it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { readGoYaml, type GoYamlDocument } from '../../src/charts/go-decode.js';
import { readGoYamlSyntax } from '../../src/charts/yaml-syntax.js';
import { readPlainYaml } from '../../src/charts/plain-yaml.js';
import { HELM_MAJORS, isolatedHelm } from '../helpers/helm.js';

type Outcome = { read: GoYamlDocument } | { error: string };

function full(text: string): Outcome {
  try {
    return { read: readGoYamlSyntax(text, 'Chart.yaml', 'CHART_YAML_INVALID') };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Compares both readers on `text`; true when the fast path answered. */
function agree(text: string): boolean {
  const fast = readPlainYaml(text, 'Chart.yaml');
  if (fast === undefined) return false;
  assert.deepEqual({ read: fast }, full(text), `the fast path reads ${JSON.stringify(text)} differently`);
  return true;
}

/** The YAML-looking string literals of the test files that feed charts, lockfiles and values to the readers. */
function corpus(): string[] {
  const root = join(import.meta.dirname, '..');
  const texts = new Set<string>();
  for (const dir of ['charts', 'package', 'plan', 'changes', 'pipeline', 'policy', 'config']) {
    for (const name of readdirSync(join(root, dir)).filter((n) => n.endsWith('.ts'))) {
      const source = ts.createSourceFile(name, readFileSync(join(root, dir, name), 'utf8'), ts.ScriptTarget.Latest);
      const visit = (node: ts.Node) => {
        if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && /^\s*[\w"'-][^\n]*:/.test(node.text)) texts.add(node.text);
        // A template's pieces with its substitutions as a name: what such a fixture writes, give or take the name.
        if (ts.isTemplateExpression(node)) texts.add(node.head.text + node.templateSpans.map((s) => `x${s.literal.text}`).join(''));
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return [...texts];
}

/** mulberry32: the same texts on every run. */
function generator(seed: number) {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return { random, pick };
}

const KEYS = ['name', 'version', 'apiVersion', 'appVersion', 'description', 'dependencies', 'a', 'b', 'artifacthub.io/changes', 'k-1', '_x', 'NAME', 'x.y'];
const ODD_KEYS = ['y', 'n', 'on', 'Off', 'yes', '1', '1.0', '0x1F', '1e3', 'null', '~', '<<', '"q"', "'s'", 'a b', '-k', '? k'];
const SCALARS = ['x', '{}', '[]', 'hello world', 'chart 1', '1', '1.10', '1.0.0', 'true', '"1.0"', "'q'", 'file://../c0', '>=1.0.0', 'https://example.com/a?b=c', 'A chart (for things), v2'];
const ODD_SCALARS = [
  '017', '0o17', '0x1F', '+1', '-1', '.5', '1e3', '1_000', '.inf', '-.Inf', '.NaN', 'yes', 'No', 'ON', '~', 'null', 'Null', '',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', 'a:b', 'a: b', 'a #b', 'a#b', 'x, y', '[x]', 'x [y]', '{a}', 'x {a}', '*ref', '&a x', '!!str 1', '!!int 1', '|', '>-', "'q'", '"q"', '""', "''",
  '"a\\"b"', "'it''s'", '"a\\nb"', '"a b"  ', "'a' # c", 'é', 'ü x', 'naïve café', '😀', '\u00a0x', 'x\u2028y', '\t x', 'x\t', 'trailing  ', 'http://x.io/a?b=c&d#e', 'file://../c0', '>=1.0.0', '^1.2.3',
  '{ }', '[ ]', '{}x', '[]]', '{}}', '[[]]', '{} # c', '{a: 1}', '[1, 2]', '%x', '@x', '`x`', '-x', '?x', ':x', 'x:', 'x :y', '"unterminated', "'", 'a\\b', '<foo>', '=', '1.0.0-rc.1+build.5', 'v1.2', '0.0.1',
];

/** Lines of a literal block: annotations' image lists, and what is no comment, key or item inside one. */
const LITERAL_LINES = ['- name: airflow', '  image: docker.io/bitnami/airflow:2.9.1-debian-12-r0', '# not a comment', 'a: b', '', '', '  deeper', ' ', 'x  ', '"q"', '- kind: added', "  description: 'it''s'"];

/** A long scalar's lines, as helm's writer folds them past column 80 (and what no fold leaves). */
const FOLDED_STARTS = ['Apache Airflow is a tool to express', "'Deprecated: this chart", "'it''s a", "'", "''", "'a'", 'a', '1.0', 'yes', "'x' y"];
const FOLDED_LINES = ['and execute workflows as directed', 'acyclic graphs (DAGs).', "is gone.'", 'it is', "it''s'", "end'", "'", 'x: y', 'x #y', '#x', '- item', '[x]', 'a:', "'' q'", '1', "a' b"];

function document(g: ReturnType<typeof generator>): string {
  const { random, pick } = g;
  const step = pick([2, 2, 2, 4, 1, 3]);
  const out: string[] = [];
  const scalar = () => pick(random() < 0.9 ? SCALARS : ODD_SCALARS);
  const noise = (indent: number) => {
    if (random() < 0.08) out.push('');
    if (random() < 0.06) out.push(`${' '.repeat(Math.floor(random() * (indent + 3)))}# a comment: with - things`);
  };
  const value = (indent: number, depth: number, inSequence: boolean): string | undefined => {
    const r = random();
    if (depth < 4 && r < 0.15) return undefined;
    if (depth < 4 && r < 0.3) {
      sequence(indent + (random() < 0.4 && !inSequence ? 0 : step), depth + 1);
      return '';
    }
    if (r < 0.34) return '';
    if (r < 0.37) return literal(indent);
    if (r < 0.4) return folded(indent);
    const text = scalar();
    return random() < 0.05 ? `${text} # note` : random() < 0.05 ? `${text}   ` : text;
  };
  /** A block scalar's header, its lines pushed below the line that will hold it (mostly as index.yaml writes them). */
  const literal = (indent: number): string => {
    const deeper = indent + pick([2, 2, 2, 1, 4, 0]);
    const count = Math.floor(random() * 4);
    for (let i = 0; i <= count; i++) {
      const line = pick(LITERAL_LINES);
      out.push(line === '' ? '' : `${' '.repeat(deeper)}${line}`);
    }
    return pick(['|', '|', '|-', '|-', '|+', '>', '|2', '| # c']);
  };
  /** A scalar's first line, the lines it is folded over pushed below the line that will hold it. */
  const folded = (indent: number): string => {
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i++) out.push(`${' '.repeat(indent + pick([2, 2, 2, 1, 4, 0]))}${pick(random() < 0.8 ? FOLDED_LINES.slice(0, 4) : FOLDED_LINES)}`);
    return pick(random() < 0.8 ? FOLDED_STARTS.slice(0, 3) : FOLDED_STARTS);
  };
  const mapping = (indent: number, depth: number, firstPrefix?: string) => {
    const count = 1 + Math.floor(random() * 5);
    for (let i = 0; i < count; i++) {
      noise(indent);
      const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent);
      const key = pick(random() < 0.9 ? KEYS : ODD_KEYS);
      const at = out.length;
      out.push('');
      const v = value(indent, depth, false);
      if (v === undefined) {
        out[at] = `${prefix}${key}:`;
        mapping(indent + step, depth + 1);
      } else out[at] = `${prefix}${key}:${v === '' ? (random() < 0.1 ? '  ' : '') : ` ${v}`}`;
    }
  };
  const sequence = (indent: number, depth: number) => {
    const count = 1 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      noise(indent);
      const dash = `${' '.repeat(indent)}-${' '.repeat(random() < 0.85 ? 1 : 3)}`;
      if (depth < 4 && random() < 0.4) mapping(dash.length, depth + 1, dash);
      else {
        const at = out.length;
        out.push('');
        const r = random();
        const text = r < 0.1 ? '' : r < 0.14 ? literal(indent) : r < 0.18 ? folded(indent) : scalar();
        out[at] = text === '' ? dash.trimEnd() : `${dash}${text}`;
      }
    }
  };
  if (random() < 0.05) out.push('---');
  if (random() < 0.9) mapping(random() < 0.05 ? 2 : 0, 0);
  else sequence(0, 0);
  if (random() < 0.03) out.push('...', 'extra: 1');
  let text = out.join('\n') + (random() < 0.9 ? '\n' : '');
  if (random() < 0.03) text = text.replaceAll('\n', '\r\n');
  // Broken on purpose now and then: one character inserted, doubled or dropped.
  if (random() < 0.25) {
    const at = Math.floor(random() * text.length);
    const r = random();
    text = r < 0.4 ? text.slice(0, at) + pick([' ', ':', '-', '#', '"', "'", '\n', '  ']) + text.slice(at) : r < 0.7 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + text[at] + text.slice(at);
  }
  return text;
}

describe('plain block YAML, read without the full parser', () => {
  it('reads every YAML text of the tests as the full parser does', () => {
    const texts = corpus();
    const fast = texts.filter(agree);
    // The corpus must be the real thing, and the fast path must be taken on a good share of it.
    assert.ok(texts.length > 200, `${texts.length} texts`);
    assert.ok(fast.length > 50, `${fast.length} of ${texts.length} texts took the fast path`);
  });

  it('reads generated text (typical, odd and broken) as the full parser does, or leaves it to it', () => {
    const g = generator(20261129);
    let taken = 0;
    let literals = 0;
    let foldedTexts = 0;
    let refusedByFull = 0;
    const total = 4000;
    for (let i = 0; i < total; i++) {
      const text = document(g);
      if (agree(text)) {
        taken++;
        if (/[:-] \|-?\n/.test(text)) literals++;
        if (/\n +(and execute|acyclic|is gone|it is|it''s'|end')/.test(text)) foldedTexts++;
      } else if ('error' in full(text)) refusedByFull++;
    }
    assert.ok(taken > total / 4, `${taken} of ${total} generated texts took the fast path (${literals} with a literal block, ${foldedTexts} with a folded scalar)`);
    assert.ok(literals > total / 200, `${literals} of ${total} generated texts with a literal block took the fast path`);
    assert.ok(foldedTexts > total / 200, `${foldedTexts} of ${total} generated texts with a folded scalar took the fast path`);
    assert.ok(refusedByFull > total / 50, `${refusedByFull} of ${total} generated texts were malformed`);
  });

  it("takes the fast path for what `helm create` writes (values.yaml's `{}` and `[]` included), reading it as the full parser does", async () => {
    for (const major of HELM_MAJORS) {
      const helm = isolatedHelm(major);
      try {
        mkdirSync(join(helm.home, 'new'));
        await helm.run(['create', join(helm.home, 'new', 'made')]);
        for (const file of ['Chart.yaml', 'values.yaml']) {
          const text = readFileSync(join(helm.home, 'new', 'made', file), 'utf8');
          assert.ok(agree(text), `helm ${major}'s ${file} takes the fast path`);
        }
        assert.match(readFileSync(join(helm.home, 'new', 'made', 'values.yaml'), 'utf8'), /^\w+: \{\}$/m, 'the case is about something');
      } finally {
        helm.cleanup();
      }
    }
  });

  it('takes the fast path for a typical Chart.yaml, and readGoYaml reads it the same through either path', () => {
    const text = [
      'apiVersion: v2',
      'name: web',
      'description: A Helm chart for Kubernetes',
      '# A chart can be either an application or a library chart.',
      'type: application',
      'version: 0.1.10',
      'appVersion: "1.16.0"',
      'keywords:',
      '  - web',
      '  - nginx',
      'maintainers:',
      '- name: Jane Doe',
      '  email: jane@example.com',
      'dependencies:',
      '  - name: redis',
      '    version: ~17.0.0',
      '    repository: oci://registry-1.docker.io/bitnamicharts',
      '    condition: redis.enabled',
      'annotations:',
      '  artifacthub.io/license: Apache-2.0',
      '',
    ].join('\n');
    assert.ok(agree(text));
    assert.deepEqual(readGoYaml(`\uFEFF${text}`, 'Chart.yaml', 'CHART_YAML_INVALID'), readGoYamlSyntax(text, 'Chart.yaml', 'CHART_YAML_INVALID'));
  });
});
