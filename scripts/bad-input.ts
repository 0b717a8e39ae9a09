// Writes docs/bad-input.md from what the code says for each refusal of the catalogue (test/catalogue/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { observe, refusals, renderPage } from '../test/catalogue/catalogue.js';
import '../test/catalogue/cases.js';

const observed = [];
for (const refusal of refusals) {
  const message = await observe(refusal);
  if (!refusal.says.test(message)) throw new Error(`${refusal.area} / ${refusal.input}: ${JSON.stringify(message)} does not match ${String(refusal.says)}`);
  observed.push({ refusal, message });
}
mkdirSync(fileURLToPath(new URL('../docs', import.meta.url)), { recursive: true });
writeFileSync(fileURLToPath(new URL('../docs/bad-input.md', import.meta.url)), renderPage(observed));
console.log(`docs/bad-input.md: ${observed.length} refusals`);
