import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { AREAS, observe, refusals, renderPage, type Refusal } from './catalogue.js';
import './cases.js';

const page = fileURLToPath(new URL('../../docs/bad-input.md', import.meta.url));
const observed: { refusal: Refusal; message: string }[] = [];

describe('bad-input catalogue', () => {
  for (const refusal of refusals) {
    it(`${refusal.area}: ${refusal.input}`, async () => {
      const message = await observe(refusal);
      assert.match(message, refusal.says);
      observed.push({ refusal, message });
    });
  }

  it('every area of bad input has refusals', () => {
    for (const area of AREAS) assert.ok(refusals.some((r) => r.area === area), area);
  });

  it('docs/bad-input.md is what the code says today (npm run docs:bad-input rewrites it)', () => {
    assert.equal(observed.length, refusals.length, 'every refusal was observed');
    // Rendered in registration order, whichever order the tests finished in.
    const ordered = refusals.map((r) => observed.find((o) => o.refusal === r)!);
    assert.equal(readFileSync(page, 'utf8'), renderPage(ordered), 'docs/bad-input.md is stale: run npm run docs:bad-input');
  });
});
