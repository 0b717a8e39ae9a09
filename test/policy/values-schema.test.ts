import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseChartYaml } from '../../src/charts/chartfile.js';
import { workTree } from '../../src/charts/source-tree.js';
import { checkValuesSchema } from '../../src/policy/values-schema.js';
import { isolatedHelm, type HelmMajor } from '../helpers/helm.js';

/**
 * values-schema must refuse what helm refuses, with the helm that refuses it: each case is a chart that the real
 * helm 3.17 and helm 4.1 render (`helm template` validates the values first) and that the rule checks.
 */
interface Case {
  name: string;
  schema: object;
  values: string;
  /** What the real helms do; checked against them, so a wrong expectation fails too. */
  refusedBy: HelmMajor[];
}

const D7 = 'http://json-schema.org/draft-07/schema#';
const CASES: Case[] = [
  { name: 'draft-07, valid values', schema: { $schema: D7, type: 'object', properties: { replicas: { type: 'integer' } } }, values: 'replicas: 2\n', refusedBy: [] },
  { name: 'draft-07, a wrong type', schema: { $schema: D7, type: 'object', properties: { replicas: { type: 'integer' } } }, values: 'replicas: two\n', refusedBy: [3, 4] },
  { name: 'a required key missing', schema: { type: 'object', required: ['image'] }, values: 'replicas: 2\n', refusedBy: [3, 4] },
  { name: 'a key the schema does not allow', schema: { type: 'object', additionalProperties: false, properties: { replicas: {} } }, values: 'replicas: 2\nreplica: 3\n', refusedBy: [3, 4] },
  {
    name: '2020-12 prefixItems: helm 3 does not know it',
    schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { ports: { prefixItems: [{ type: 'integer' }, { type: 'integer' }] } } },
    values: 'ports: [80, http]\n',
    refusedBy: [4],
  },
  {
    name: 'no $schema: helm 4 reads 2020-12',
    schema: { type: 'object', properties: { ports: { prefixItems: [{ type: 'integer' }, { type: 'integer' }] } } },
    values: 'ports: [80, http]\n',
    refusedBy: [4],
  },
  {
    name: 'no $schema and a draft-07 tuple: helm 4 refuses the schema itself',
    schema: { type: 'object', properties: { ports: { items: [{ type: 'integer' }, { type: 'integer' }] } } },
    values: 'ports: [80, 443]\n',
    refusedBy: [4],
  },
  {
    name: 'a draft-07 tuple declared as such',
    schema: { $schema: D7, type: 'object', properties: { ports: { items: [{ type: 'integer' }, { type: 'integer' }] } } },
    values: 'ports: [80, http]\n',
    refusedBy: [3, 4],
  },
  {
    name: 'draft-04 boolean exclusiveMaximum',
    schema: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: { replicas: { type: 'integer', maximum: 5, exclusiveMaximum: true } } },
    values: 'replicas: 5\n',
    refusedBy: [3, 4],
  },
  {
    name: 'draft-06 const',
    schema: { $schema: 'http://json-schema.org/draft-06/schema#', type: 'object', properties: { kind: { const: 'web' } } },
    values: 'kind: worker\n',
    refusedBy: [3, 4],
  },
  {
    name: '2019-09 dependentRequired: helm 3 does not know it',
    schema: { $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'object', dependentRequired: { tls: ['certificate'] } },
    values: 'tls: true\n',
    refusedBy: [4],
  },
  { name: 'a type that does not exist', schema: { type: 'object', properties: { replicas: { type: 'bogus' } } }, values: 'replicas: 2\n', refusedBy: [3, 4] },
  // Neither is an http(s) URL, which helm 4 would download: this test never lets it reach the network.
  { name: 'a $schema helm 4 cannot load', schema: { $schema: 'values-schema', type: 'object' }, values: 'replicas: 2\n', refusedBy: [4] },
  {
    name: 'an unknown urn: $schema, read by helm 4 as 2020-12',
    schema: { $schema: 'urn:acme:values', type: 'object', properties: { ports: { prefixItems: [{ type: 'integer' }, { type: 'integer' }] } } },
    values: 'ports: [80, http]\n',
    refusedBy: [4],
  },
  {
    // As in examples/charts/worker: draft-07 named with https, which ajv does not know by that name.
    name: 'draft-07 named with https://, valid values',
    schema: { $schema: 'https://json-schema.org/draft-07/schema#', type: 'object', properties: { replicas: { type: 'integer' } } },
    values: 'replicas: 2\n',
    refusedBy: [],
  },
  {
    name: 'draft-07 named with https://, a wrong type',
    schema: { $schema: 'https://json-schema.org/draft-07/schema#', type: 'object', properties: { replicas: { type: 'integer' } } },
    values: 'replicas: two\n',
    refusedBy: [3, 4],
  },
  // prometheus-community's prometheus chart declares it: helm 4 knows it as the newest draft and loads nothing.
  { name: 'json-schema.org/schema#, the newest draft, valid values', schema: { $schema: 'http://json-schema.org/schema#', type: 'object', properties: { replicas: { type: 'integer' } } }, values: 'replicas: 2\n', refusedBy: [] },
  {
    name: 'json-schema.org/schema: helm 4 reads 2020-12, helm 3 draft-07',
    schema: { $schema: 'https://json-schema.org/schema', type: 'object', properties: { ports: { prefixItems: [{ type: 'integer' }, { type: 'integer' }] } } },
    values: 'ports: [80, http]\n',
    refusedBy: [4],
  },
  { name: 'YAML 1.1 as helm reads it: yes is a boolean', schema: { type: 'object', properties: { enabled: { type: 'boolean' } } }, values: 'enabled: yes\n', refusedBy: [] },
];

const root = mkdtempSync(join(tmpdir(), 'chartship-values-schema-'));
const helms = { 3: isolatedHelm(3), 4: isolatedHelm(4) } as const;
after(() => {
  rmSync(root, { recursive: true, force: true });
  for (const helm of Object.values(helms)) helm.cleanup();
});

describe('values-schema agrees with helm 3 and helm 4', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const dir = `c${i}`;
      mkdirSync(join(root, dir, 'templates'), { recursive: true });
      const chartYaml = `apiVersion: v2\nname: c${i}\nversion: 1.0.0\n`;
      writeFileSync(join(root, dir, 'Chart.yaml'), chartYaml);
      writeFileSync(join(root, dir, 'values.yaml'), c.values);
      writeFileSync(join(root, dir, 'values.schema.json'), JSON.stringify(c.schema, null, 2));
      writeFileSync(join(root, dir, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');

      const refusedByHelm: HelmMajor[] = [];
      for (const major of [3, 4] as const) {
        const refused = await helms[major].run(['template', join(root, dir)]).then(
          () => false,
          (error: Error) => {
            assert.match(error.message, /values don't meet the specifications of the schema/, `helm ${major} failed otherwise`);
            return true;
          },
        );
        if (refused) refusedByHelm.push(major);
      }
      assert.deepEqual(refusedByHelm, c.refusedBy, 'the case says what the real helms do');

      const outcome = await checkValuesSchema({ name: `c${i}`, path: dir, chartYaml: `${dir}/Chart.yaml`, file: parseChartYaml(chartYaml, `${dir}/Chart.yaml`) }, { tree: workTree(root) });
      const messages = outcome.spots.map((s) => s.message);
      const refusedByRule: HelmMajor[] = [];
      if (messages.some((m) => !m.includes('(as helm 4 reads it)'))) refusedByRule.push(3);
      if (messages.some((m) => !m.includes('(as helm 3 reads it)'))) refusedByRule.push(4);
      // A $schema helm 4 cannot load is its problem only, said in so many words.
      if (messages.length === 1 && /helm 4 tries to load it/.test(messages[0]!)) refusedByRule.splice(0, refusedByRule.length, 4);
      assert.deepEqual(refusedByRule, c.refusedBy, messages.join('\n'));
      for (const spot of outcome.spots) assert.ok(spot.line !== undefined && spot.line >= 1, `${spot.message} has a line`);
    });
  });

  it('charts checked at once see only their own schema, though they share an $id', async () => {
    // Copied charts keep their schema's $id. One ajv per dialect serves every chart, so each must leave it as it found it.
    const id = 'https://acme.example/values.schema.json';
    const nested = 'https://acme.example/replicas.json';
    const charts = {
      ints: { schema: { $schema: D7, $id: id, type: 'object', properties: { replicas: { $id: nested, type: 'integer' } } }, values: 'replicas: two\n' },
      text: { schema: { $schema: D7, $id: id, type: 'object', properties: { replicas: { type: 'string' } } }, values: 'replicas: two\n' },
      // Refers to an $id only the first chart defines: helm would have to download it, and so cannot check it alone.
      borrows: { schema: { $schema: D7, $id: id, type: 'object', properties: { replicas: { $ref: nested } } }, values: 'replicas: two\n' },
    };
    const check = (name: keyof typeof charts) => {
      mkdirSync(join(root, 'shared-id', name), { recursive: true });
      writeFileSync(join(root, 'shared-id', name, 'values.yaml'), charts[name].values);
      writeFileSync(join(root, 'shared-id', name, 'values.schema.json'), JSON.stringify(charts[name].schema));
      const path = `shared-id/${name}`;
      return checkValuesSchema({ name, path, chartYaml: `${path}/Chart.yaml`, file: parseChartYaml(`apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`, `${path}/Chart.yaml`) }, { tree: workTree(root) });
    };
    const names = Object.keys(charts) as (keyof typeof charts)[];
    for (const round of ['one after another', 'at once', 'at once, reversed']) {
      const order = round.endsWith('reversed') ? [...names].reverse() : names;
      const outcomes = round === 'one after another' ? await order.reduce(async (done, n) => [...(await done), await check(n)], Promise.resolve([] as Awaited<ReturnType<typeof check>>[])) : await Promise.all(order.map(check));
      const by = Object.fromEntries(order.map((n, i) => [n, outcomes[i]!]));
      assert.deepEqual(by['ints']!.spots.map((s) => s.message), ['values.yaml does not match values.schema.json: replicas must be integer'], round);
      assert.deepEqual(by['text'], { spots: [] }, round);
      assert.deepEqual(by['borrows']!.spots, [], round);
      assert.match(by['borrows']!.notChecked ?? '', /^values not validated: can't resolve reference https:\/\/acme\.example\/replicas\.json/, round);
    }
  });

  it('points at the value in values.yaml and the keyword in values.schema.json', async () => {
    mkdirSync(join(root, 'at', 'templates'), { recursive: true });
    writeFileSync(join(root, 'at', 'values.yaml'), 'image:\n  repository: acme/web\n  tag: 1.4\nports:\n  - 80\n  - http\n');
    const schema = { $schema: D7, type: 'object', properties: { image: { type: 'object', properties: { tag: { type: 'string' } } }, ports: { type: 'array', items: { type: 'integer' } }, x: { type: 'nope' } } };
    writeFileSync(join(root, 'at', 'values.schema.json'), JSON.stringify(schema, null, 2));
    const chart = { name: 'at', path: 'at', chartYaml: 'at/Chart.yaml', file: parseChartYaml('apiVersion: v2\nname: at\nversion: 1.0.0\n', 'at/Chart.yaml') };
    const broken = await checkValuesSchema(chart, { tree: workTree(root) });
    assert.equal(broken.spots.length, 1);
    assert.match(broken.spots[0]!.message, /^values\.schema\.json is not a valid JSON Schema \(draft 07\): properties\.x\.type must be equal to one of the allowed values/);
    assert.deepEqual([broken.spots[0]!.file, broken.spots[0]!.line], ['at/values.schema.json', 20]);

    delete (schema.properties as Record<string, unknown>)['x'];
    writeFileSync(join(root, 'at', 'values.schema.json'), JSON.stringify(schema, null, 2));
    const spots = (await checkValuesSchema(chart, { tree: workTree(root) })).spots.map((s) => `${s.file}:${s.line}:${s.column}: ${s.message}`);
    // `tag: 1.4` is a number to helm (YAML 1.1), and the second port is text.
    assert.deepEqual(spots, ['at/values.yaml:3:3: values.yaml does not match values.schema.json: image.tag must be string', 'at/values.yaml:6:5: values.yaml does not match values.schema.json: ports[1] must be integer']);

    writeFileSync(join(root, 'at', 'values.schema.json'), '{\n  "type": "object",\n}\n');
    const json = (await checkValuesSchema(chart, { tree: workTree(root) })).spots;
    assert.deepEqual(json.map((s) => `${s.file}:${s.line}:${s.column}: ${s.message}`), ['at/values.schema.json:3:1: values.schema.json is not valid JSON: property name expected']);

    rmSync(join(root, 'at', 'values.schema.json'));
    const missing = (await checkValuesSchema(chart, { tree: workTree(root) })).spots;
    assert.deepEqual(missing.map((s) => `${s.file}:${s.line}:${s.column}: ${s.message}`), ['at/values.yaml:1:1: values.schema.json is missing: add a JSON Schema of the values']);
  });
});
