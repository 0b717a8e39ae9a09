import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { ChartAttestation, ChartResult, RegistryAttestation, RegistryResult } from '../../src/model/plan.js';
import { chartsOutput, matrixOutput, releaseOutputs } from '../../src/pipeline/outputs.js';
import { readmeInputRows } from '../helpers/readme-inputs.js';

/** What a workflow author reads in the README about the action's inputs and outputs is what action.yml and the code have. */

const readme = readFileSync('README.md', 'utf8');
const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }>; outputs: Record<string, { description: string }> };

/** The README's paragraph that starts `Outputs:`. */
const outputsParagraph = readme.slice(readme.indexOf('\nOutputs: '), readme.indexOf('\n\n', readme.indexOf('\nOutputs: ')));

/**
 * A chart result with every field set: `Required` makes a field added to these types fail to compile here until it
 * is given, and then the checks below ask the docs for it.
 */
const attestation: Required<RegistryAttestation> = {
  digest: 'sha256:b',
  status: 'attested',
  via: 'referrers-api',
  verify: 'chartship verify …',
  ghVerify: 'gh attestation verify …',
  unverified: [{ digest: 'sha256:c', reason: 'another workflow' }],
};
const registry: Required<RegistryResult> = { registry: 'oci://r/ns', ref: 'r/ns/web:1.0.0', digest: 'sha256:a', provDigest: 'sha256:p', status: 'pushed', error: 'e', attestation };
const signed: Required<ChartAttestation> = { identity: 'i', issuer: 'o', instance: 'public-good', predicateType: 'p', logIndex: '1', githubId: 2, verified: true };
const full: Required<ChartResult> = {
  name: 'web',
  version: '1.0.0',
  previousVersion: '0.9.0',
  path: 'charts/web',
  status: 'failed',
  error: 'why',
  signed: true,
  signer: { fingerprint: 'F' },
  registries: [registry],
  changelog: [],
  notes: '',
  release: { tag: 'web-1.0.0', url: 'https://x' },
  attestation: signed,
  copiedFrom: 'oci://r/old',
};

/** Every key of a JSON value, nested ones included. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

describe('the README and action.yml against the action', () => {
  it('every field of the charts output is named in the README\'s Outputs and in action.yml', () => {
    const keys = [...new Set(keysOf(chartsOutput([full])))];
    assert.ok(keys.length > 20, keys.join(' '));
    assert.ok(outputsParagraph.length > 200, outputsParagraph);
    const word = (text: string, key: string) => new RegExp(`(?<![\\w-])${key}(?![\\w-])`).test(text);
    assert.deepEqual(keys.filter((key) => !word(outputsParagraph, key)), [], 'README.md, the Outputs paragraph');
    assert.deepEqual(keys.filter((key) => !word(action.outputs['charts']!.description, key)), [], 'action.yml, outputs.charts');
    const matrix = keysOf(matrixOutput({ charts: [{ name: 'web', path: 'charts/web', nextVersion: '1.0.0', action: 'release' }] } as never));
    assert.deepEqual(matrix.filter((key) => !outputsParagraph.includes(`"${key}"`) && key !== 'include'), []);
    assert.deepEqual(matrix.filter((key) => !action.outputs['matrix']!.description.includes(`"${key}"`)), []);
  });

  it('every output the action sets is in action.yml, and every one there is in the README', () => {
    const set = readdirSync('src/action')
      .flatMap((file) => [...readFileSync(join('src/action', file), 'utf8').matchAll(/core\.setOutput\('([^']+)'/g)].map((m) => m[1]!))
      .concat(Object.keys(releaseOutputs([])));
    assert.ok(set.length >= 8, set.join(' '));
    assert.deepEqual([...new Set(set)].filter((name) => !(name in action.outputs)), []);
    assert.deepEqual(Object.keys(action.outputs).filter((name) => !readme.includes(`\`${name}\``)), []);
  });

  it('a default the README\'s input table gives is the one action.yml has', () => {
    const rows = readmeInputRows(readme).filter((row) => row.inputs.length === 1 && row.cells.length === 3);
    assert.ok(rows.length > 20, JSON.stringify(rows));
    const wrong: string[] = [];
    for (const { inputs, cells } of rows) {
      const name = inputs[0]!;
      const actual = action.inputs[name]?.default ?? '';
      const stated = /^`([^`]*)`$/.exec(cells[1]!)?.[1];
      // A default written as one code span is the value; a blank one is an empty default; prose is read by people.
      if (stated !== undefined ? stated !== actual : cells[1] === '' && actual !== '') wrong.push(`${name}: README ${JSON.stringify(cells[1])}, action.yml ${JSON.stringify(actual)}`);
    }
    assert.deepEqual(wrong, []);
  });
});
