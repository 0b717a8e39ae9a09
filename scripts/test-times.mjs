// A second reporter for `npm test` (scripts/test.mjs): how long each test file's tests took, kept in
// .cache/test-times.json so the next run starts the longest files first. Two workers share two cores: a long file
// started last would run alone at the end and set the suite's floor. Prints nothing; a file it cannot write is no
// failure.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
export const TIMES = join(root, '.cache', 'test-times.json');

/** Source path (test/…/x.test.ts) → milliseconds its tests took in the last run that ran it. */
export function readTimes() {
  try {
    return existsSync(TIMES) ? JSON.parse(readFileSync(TIMES, 'utf8')) : {};
  } catch {
    return {};
  }
}

export default async function* testTimes(source) {
  const compiled = process.env['CHARTSHIP_TEST_COMPILED'];
  const runs = {};
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.nesting !== 0 || !event.data.file) continue;
    // The compiled file, or (through its source map) the test's own.
    const inCompiled = compiled && event.data.file.startsWith(`${compiled}/`);
    const file = inCompiled ? relative(compiled, event.data.file).replace(/\.js$/, '.ts') : relative(root, event.data.file);
    runs[file] = (runs[file] ?? 0) + (event.data.details?.duration_ms ?? 0);
  }
  const times = readTimes();
  for (const [file, ms] of Object.entries(runs)) times[file] = { ms: Math.round(ms) };
  try {
    mkdirSync(dirname(TIMES), { recursive: true });
    writeFileSync(TIMES, `${JSON.stringify(times, null, 1)}\n`);
  } catch {
    // a read-only checkout: the next run keeps the plain order
  }
}
