import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { POLICY_RULE_IDS } from '../../src/model/policy.js';
import { withRulesTable } from './readme-table.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

it('the README\'s table of policy rules is the one the rule definitions make (npm run docs:policy rewrites it)', () => {
  assert.equal(readme, withRulesTable(readme), 'README.md is stale: run npm run docs:policy');
  for (const id of POLICY_RULE_IDS) assert.match(readme, new RegExp(`^\\| \`${id}\` \\|`, 'm'), `${id} has a row`);
});
