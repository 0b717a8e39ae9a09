// Writes the table of chart policy rules into README.md (between its markers) from the rule definitions.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withRulesTable } from '../test/policy/readme-table.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
writeFileSync(readme, withRulesTable(readFileSync(readme, 'utf8')));
console.log('README.md: chart policy rules table written');
