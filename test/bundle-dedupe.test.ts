import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { writeFiles } from './package/fixtures.js';

// The build's own plugin, from the checkout (tests run from a compiled copy elsewhere, with the checkout as cwd).
const { oneCopyPerVersion } = (await import(pathToFileURL(join(process.cwd(), 'scripts', 'bundle', 'one-copy-per-version.mjs')).href)) as {
  oneCopyPerVersion: (modules: string) => Plugin;
};

const scratch = mkdtempSync(join(tmpdir(), 'chartship-dedupe-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const pkg = (name: string, version: string) => JSON.stringify({ name, version, type: 'module', main: 'index.js' });

// As npm lays it out when a third package holds the top-level name: shared@1.0.0 twice, nested, beside shared@2.0.0.
// Each dependant is large, so which one esbuild reads (and resolves from) first varies.
const filler = (name: string) => `export const ${name} = ${JSON.stringify('x'.repeat(200_000))};\n`;
writeFiles(scratch, {
  'node_modules/shared/package.json': pkg('shared', '2.0.0'),
  'node_modules/shared/index.js': "export default 'shared 2';\n",
  'node_modules/alpha/package.json': pkg('alpha', '1.0.0'),
  'node_modules/alpha/index.js': `import shared from 'shared';\n${filler('alphaFiller')}export default shared;\n`,
  'node_modules/alpha/node_modules/shared/package.json': pkg('shared', '1.0.0'),
  'node_modules/alpha/node_modules/shared/index.js': "export default 'shared 1, the copy under alpha';\n",
  'node_modules/bravo/package.json': pkg('bravo', '1.0.0'),
  'node_modules/bravo/index.js': `import shared from 'shared';\n${filler('bravoFiller')}export default shared;\n`,
  'node_modules/bravo/node_modules/shared/package.json': pkg('shared', '1.0.0'),
  'node_modules/bravo/node_modules/shared/index.js': "export default 'shared 1, the copy under bravo';\n",
  'alpha-first.js': "import a from 'alpha';\nimport b from 'bravo';\nexport default [a, b];\n",
  'bravo-first.js': "import b from 'bravo';\nimport a from 'alpha';\nexport default [a, b];\n",
});

async function bundled(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(scratch, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    plugins: [oneCopyPerVersion(join(scratch, 'node_modules'))],
  });
  return result.outputFiles[0]!.text;
}

describe('one copy of each package version in the bundle', () => {
  it('keeps the same copy whichever copy esbuild resolves first, build after build', async () => {
    const outputs = await Promise.all(Array.from({ length: 6 }, (_, i) => bundled(i % 2 === 0 ? 'alpha-first.js' : 'bravo-first.js')));
    for (const text of outputs) {
      // One copy of shared@1.0.0, the one with the shortest path, then the first in byte order: alpha's.
      assert.match(text, /the copy under alpha/);
      assert.doesNotMatch(text, /the copy under bravo/);
    }
  });
});
