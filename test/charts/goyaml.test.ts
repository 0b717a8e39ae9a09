import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { compareKeys, formatNumber, marshalGoYaml, resolvesToString, type GoYamlValue } from '../../src/charts/goyaml.js';

describe('marshalGoYaml matches gopkg.in/yaml.v2', () => {
  // Expected outputs are yaml.v2 v2.4.0's own marshal tests (encode_test.go), for the JSON-shaped cases.
  const upstream: [GoYamlValue, string][] = [
    [{ v: 'hi' }, 'v: hi\n'],
    [{ v: 'true' }, 'v: "true"\n'],
    [{ v: 'false' }, 'v: "false"\n'],
    [{ v: true }, 'v: true\n'],
    [{ v: 10 }, 'v: 10\n'],
    [{ v: -10 }, 'v: -10\n'],
    [{ v: 4294967296 }, 'v: 4294967296\n'],
    [{ v: '10' }, 'v: "10"\n'],
    [{ v: 0.1 }, 'v: 0.1\n'],
    [{ v: -0.1 }, 'v: -0.1\n'],
    [{ v: null }, 'v: null\n'],
    [{ v: '' }, 'v: ""\n'],
    [{ v: ['A', 'B'] }, 'v:\n- A\n- B\n'],
    [{ v: ['A', 'B\nC'] }, 'v:\n- A\n- |-\n  B\n  C\n'],
    [{ v: ['A', 1, { B: [2, 3] }] }, 'v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n'],
    [{ a: { b: 'c' } }, 'a:\n  b: c\n'],
    [{ a: '-' }, "a: '-'\n"],
    [{ a: '<foo>' }, 'a: <foo>\n'],
    [{ a: '1:1' }, 'a: "1:1"\n'],
    [{ a: '\x00' }, 'a: "\\0"\n'],
    [{ a: '你好' }, 'a: 你好\n'],
    [{ a: '2015-02-24T18:19:39Z' }, 'a: "2015-02-24T18:19:39Z"\n'],
    [{ a: 'b: c' }, "a: 'b: c'\n"],
    [{ a: 'Hello #comment' }, "a: 'Hello #comment'\n"],
    [{ a: '你好 #comment' }, "a: '你好 #comment'\n"],
    [
      { a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 ' },
      "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n",
    ],
  ];
  for (const [value, expected] of upstream) {
    it(`${JSON.stringify(value)}`, () => assert.equal(marshalGoYaml(value), expected));
  }

  it('folds a long plain scalar at the first space after column 80, continuing two columns in', () => {
    const text = 'Ünïcödé chart — a very long description that keeps going well past the eighty column limit so yaml.v2 folds it';
    assert.equal(
      marshalGoYaml({ description: text }),
      'description: Ünïcödé chart — a very long description that keeps going well past the\n  eighty column limit so yaml.v2 folds it\n',
    );
  });

  it('writes literal blocks with the chomping and indentation indicators yaml.v2 picks', () => {
    assert.equal(marshalGoYaml({ k: 'a\nb\n' }), 'k: |\n  a\n  b\n');
    assert.equal(marshalGoYaml({ k: 'a\n\n' }), 'k: |+\n  a\n\n');
    assert.equal(marshalGoYaml({ k: ' a\nb' }), 'k: |2-\n   a\n  b\n');
    // A space before a line break rules out block style: double quotes with escapes instead.
    assert.equal(marshalGoYaml({ k: 'a \nb' }), 'k: "a \\nb"\n');
  });

  it('escapes what yaml.v2 does not print raw', () => {
    assert.equal(marshalGoYaml({ k: 'tab\there' }), 'k: "tab\\there"\n');
    assert.equal(marshalGoYaml({ k: 'smile 😀' }), 'k: "smile \\U0001F600"\n');
    assert.equal(marshalGoYaml({ k: 'nel\u0085' }), 'k: "nel\\N"\n');
    assert.equal(marshalGoYaml({ k: '\uFEFFab' }), 'k: "\\uFEFF\\x61\\x62"\n');
  });

  it('writes keys longer than 128 bytes in the explicit "? key" form', () => {
    const key = 'k'.repeat(129);
    assert.equal(marshalGoYaml({ [key]: 'v' }), `? ${key}\n: v\n`);
    assert.equal(marshalGoYaml({ ['k'.repeat(128)]: 'v' }), `${'k'.repeat(128)}: v\n`);
  });

  it('writes empty collections in flow style and nests sequences yaml.v2 style', () => {
    assert.equal(marshalGoYaml({ a: [], b: {}, c: [[1, 2], ['x']] }), 'a: []\nb: {}\nc:\n- - 1\n  - 2\n- - x\n');
  });
});

describe('resolvesToString (yaml.v2 resolve)', () => {
  const notStrings = [
    'true', 'False', 'yes', 'Y', 'n', 'on', 'OFF', '~', 'null', '', '.5', '.inf', '-.Inf', '1', '-1', '+1',
    '0x1F', '0o17', '0b101', '017', '08', '1_000', '1e3', '1.5', '-2.5e-3', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43.10', '2001-1-2T3:4:5Z', '18446744073709551615', '18446744073709551616', '.5_5',
  ];
  for (const text of notStrings) it(`${JSON.stringify(text)} is not a string`, () => assert.equal(resolvesToString(text), false));
  const strings = [
    'v1', '1.2.3', '1.16.0', 'yes please', 'nil', 'NaN', '.5.5', '2001-13-01', '2001-02-30', '0x', '-', '+', '1e400',
    '<<', '=', 'x86_64', '~1.2', '1.0.0-rc.1', '2001-12-14T21:59:43',
  ];
  for (const text of strings) it(`${JSON.stringify(text)} is a string`, () => assert.equal(resolvesToString(text), true));
});

describe('compareKeys (yaml.v2 keyList.Less)', () => {
  const sorted = (keys: string[]) => [...keys].sort(compareKeys);
  it('sorts letters by code point, upper case first', () => assert.deepEqual(sorted(['b', 'a', 'B']), ['B', 'a', 'b']));
  it('compares digit runs as numbers', () => assert.deepEqual(sorted(['a10', 'a9', 'a2']), ['a2', 'a9', 'a10']));
  it('puts non-letters before letters', () => {
    assert.deepEqual(sorted(['bZ', 'b_']), ['b_', 'bZ']);
    assert.deepEqual(sorted(['appVersion', 'app.kubernetes.io/name', 'apiVersion']), ['apiVersion', 'app.kubernetes.io/name', 'appVersion']);
  });
  it('orders helm metadata keys as helm does', () => {
    const keys = ['version', 'name', 'apiVersion', 'appVersion', 'annotations', 'kubeVersion', 'keywords', 'dependencies', 'deprecated', 'description'];
    assert.deepEqual(sorted(keys), [
      'annotations', 'apiVersion', 'appVersion', 'dependencies', 'deprecated', 'description', 'keywords', 'kubeVersion', 'name', 'version',
    ]);
  });
});

describe('formatNumber (json.Marshal float64, then yaml.v2)', () => {
  const cases: [number, string][] = [
    [1, '1'], [1.5, '1.5'], [1e6, '1000000'], [1234567.5, '1.2345675e+06'], [0.0001, '0.0001'], [0.00001, '1e-05'],
    [1e21, '1e+21'], [-0, '0'], [2 ** 64, '1.8446744073709552e+19'],
    // Shortest digits, then zeros, as Go's encoder writes them (checked against helm 3 and 4 in helm-differential).
    [Number('12345678901234567890'), '12345678901234567000'], [2 ** 63, '9223372036854776000'], [2 ** 64 - 2048, '18446744073709550000'],
    // -2^63 is written -9223372036854776000, past int64: yaml.v2 reads it back as a float.
    [-(2 ** 63), '-9.223372036854776e+18'],
  ];
  for (const [value, expected] of cases) it(`${value} → ${expected}`, () => assert.equal(formatNumber(value), expected));
});

describe('every style reads back as the same string', () => {
  const long = 'word '.repeat(30).trim();
  const texts = [
    ' lead', 'trail ', 'a\tb', 'é', '😀', 'a\u0085b', '#x', 'x #y', 'a: b', '- x', '? x', '"q"', "'s'", 'multi\nline', 'trail\n',
    '\nlead', 'a  b', `${long}`, `'${long}'`, `${long}\t${long}`, `${long}  ${long}`, `- ${long}`, `a\n${long}\n`, 'yes', '0755', '',
    `x${' '.repeat(90)}y`, `${'ab '.repeat(40)} tail`,
  ];
  for (const text of texts) {
    it(JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text), () => {
      const yaml = marshalGoYaml({ key: text, list: [text], nested: { deeper: text } });
      assert.deepEqual(parse(yaml, { version: '1.1' }), { key: text, list: [text], nested: { deeper: text } });
    });
  }
});
