import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readChartArchive } from '../../src/charts/archive.js';
import { savedText } from '../../src/charts/helm-yaml.js';
import { parseChartYaml } from '../../src/charts/chartfile.js';
import { yamlText } from '../../src/charts/yaml-input.js';
import { ChartshipError } from '../../src/model/errors.js';
import { tgz } from '../helpers/registry-charts.js';

const refusal = (data: Buffer): string => {
  try {
    yamlText(data, 'values.yaml', 'VALUES_INVALID');
  } catch (error) {
    assert.ok(error instanceof ChartshipError);
    return error.describe();
  }
  return 'accepted';
};

describe("YAML input as yaml.v2's reader takes it (helm 3 and 4 alike)", () => {
  it('accepts what YAML 1.1 allows: tab, CR, NEL, no-break space, a BOM anywhere, U+FFFD written as such, astral characters', () => {
    for (const text of ['a:\t1\r\n', 'a: "x\u0085y"\n', 'a: \u00a0\n', '\ufeffa: 1\nb: "\ufeff"\n', 'a: \ufffd\n', 'a: 😀\n', 'a: \ud7ff\ue000\n']) {
      assert.equal(yamlText(Buffer.from(text, 'utf8'), 'values.yaml', 'VALUES_INVALID'), text, JSON.stringify(text));
    }
  });

  it('refuses the control characters yaml.v2 refuses, comments included, naming line and column', () => {
    for (const [c, code] of [['\u0000', '0000'], ['\u0007', '0007'], ['\u000b', '000B'], ['\u001b', '001B'], ['\u007f', '007F'], ['\u0080', '0080'], ['\u009f', '009F'], ['\ufffe', 'FFFE'], ['\uffff', 'FFFF']] as const) {
      assert.equal(refusal(Buffer.from(`a: 1\n# é${c}\n`, 'utf8')), `values.yaml:2:4: holds the control character U+${code}, which YAML does not allow (helm refuses the file) (remove it, or write it as an escape inside a double-quoted string)`);
    }
  });

  it('refuses bytes that are no UTF-8: Latin-1, a cut sequence, an overlong form, an encoded surrogate, beyond U+10FFFF', () => {
    for (const [bytes, column] of [[[0xe9], 4], [[0xc3], 4], [[0xe2, 0x82], 4], [[0xc0, 0xaf], 4], [[0xe0, 0x80, 0xaf], 4], [[0xed, 0xa0, 0x80], 4], [[0xf4, 0x90, 0x80, 0x80], 4], [[0xff], 4]] as const) {
      const data = Buffer.concat([Buffer.from('a: 1\nb: '), Buffer.from(bytes), Buffer.from('\n')]);
      assert.match(refusal(data), new RegExp(`^values\\.yaml:2:${column}: is not UTF-8: byte 0x${bytes[0].toString(16).toUpperCase()} `), Buffer.from(bytes).toString('hex'));
    }
  });

  it('refuses a pushed archive whose Chart.yaml is Latin-1, naming the archive and the entry', async () => {
    const archive = tgz([{ path: 'c/Chart.yaml', data: Buffer.from('apiVersion: v2\nname: c\nversion: 1.0.0\ndescription: caf\u00e9\n', 'latin1') }]);
    await assert.rejects(readChartArchive(archive, 'c-1.0.0.tgz'), (e: unknown) => e instanceof ChartshipError && /^c-1\.0\.0\.tgz:c\/Chart\.yaml:4:17: is not UTF-8/.test(e.describe()));
  });
});

describe("text helm never sanitises, as helm's save writes it back", () => {
  it('folds a NEL as yaml.v2 folds a line break in a double-quoted scalar (JSON leaves NEL raw)', () => {
    assert.deepEqual(savedText('nel\u0085line', false), { text: 'nel line' });
    assert.deepEqual(savedText('x \u0085 \u0085  y\u0085z', false), { text: 'x\ny z' });
    assert.deepEqual(savedText('\u0085\u0085\u0085a', false), { text: '\n\na' });
    assert.deepEqual(savedText('ls\u2028ps\u2029', false), { text: 'ls\u2028ps\u2029' }, 'JSON escapes LS and PS: they survive');
  });

  it("refuses what helm fails to save: controls JSON leaves raw, and a NEL in a key", () => {
    assert.ok('refused' in savedText('a\u007fb', false));
    assert.ok('refused' in savedText('a\u0090b', true));
    assert.ok('refused' in savedText('a\u0085b', true));
    assert.deepEqual(savedText('a\u0007b\ttab', false), { text: 'a\u0007b\ttab' }, 'JSON escapes C0 controls');
  });

  it('applies to annotations and import-values when Chart.yaml is read, so the OCI config and the signature carry it too', () => {
    const { metadata } = parseChartYaml('apiVersion: v2\nname: c\nversion: 1.0.0\nannotations:\n  a: "x\\Ny"\ndependencies:\n  - name: s\n    version: 1.0.0\n    import-values: [{child: "p\\N\\Nq", parent: r}]\n', 'Chart.yaml');
    assert.deepEqual(metadata.annotations, { a: 'x y' });
    assert.deepEqual(metadata.dependencies?.[0]?.['import-values'], [{ child: 'p\nq', parent: 'r' }]);
    assert.throws(() => parseChartYaml('apiVersion: v2\nname: c\nversion: 1.0.0\nannotations:\n  "k\\x85": v\n', 'Chart.yaml'), (e: unknown) => e instanceof ChartshipError && e.describe() === 'Chart.yaml:5:3: annotations: the key "k\\u0085" holds U+0085 (NEL), a line break helm cannot write back in a key (it fails to save the chart)');
  });
});
