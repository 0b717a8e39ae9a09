/**
 * The layering is enforced by `npm run lint` (eslint-plugin-boundaries, configured in eslint.config.js). These tests
 * hold the enforcement itself: a back-edge written into a source folder is reported, an import the layering allows
 * is not, and ARCHITECTURE.md lists exactly the imports the lint configuration allows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Policies {
  policies: { from: { element: { type: string } }; allow: { to: { element: { types: { anyOf: string[] } } } } }[];
}

/**
 * The repository's lint configuration, for files that exist only in memory: those are in no TypeScript project, so the
 * type-aware rules (which the boundaries do not need) are left out for them.
 */
const eslint = new ESLint({ cwd: ROOT, overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

/** Lints `code` as if it were the file `path` of the repository (nothing is written), returning the boundary messages. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  assert.ok(result);
  return result.messages.filter((m) => m.ruleId?.startsWith('boundaries/') || m.fatal).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

describe('the layering', () => {
  it('reports an import from a lower layer up to a higher one', async () => {
    const errors = await boundaryErrors('src/model/probe.ts', "import type { Log } from '../pipeline/log.js';\nexport type Probe = Log;\n");
    assert.deepEqual(errors, ['boundaries/dependencies: model/ may not import pipeline/ (ARCHITECTURE.md lists what each folder may import)']);
  });

  it('reports a sideways import between folders of one layer, and a re-export', async () => {
    const errors = await boundaryErrors('src/oci/probe.ts', "export { compileGlob } from '../charts/glob.js';\n");
    assert.deepEqual(errors, ['boundaries/dependencies: oci/ may not import charts/ (ARCHITECTURE.md lists what each folder may import)']);
  });

  it('reports a file in no known folder', async () => {
    const errors = await boundaryErrors('src/stray/probe.ts', 'export const probe = 1;\n');
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /^boundaries\/no-unknown-files:/);
  });

  it('accepts an import the layering allows', async () => {
    assert.deepEqual(await boundaryErrors('src/pipeline/probe.ts', "import { ChartshipError } from '../model/errors.js';\nexport const probe = new ChartshipError('x');\n"), []);
  });

  it('is what ARCHITECTURE.md says each folder may import', async () => {
    const text = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const documented: Record<string, string[]> = {};
    for (const match of text.matchAll(/^\| `([a-z-]+)\/` \|[^|]*\| ([^|]*) \|$/gm)) {
      const imports = match[2]!.trim();
      documented[match[1]!] = imports === 'nothing' ? [] : [...imports.matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1]!).sort();
    }
    const config = (await eslint.calculateConfigForFile(join(ROOT, 'src/model/errors.ts'))) as { rules: Record<string, [unknown, Policies]> };
    const policies = config.rules['boundaries/dependencies']![1].policies;
    const configured = Object.fromEntries(policies.map((p) => [p.from.element.type, [...p.allow.to.element.types.anyOf].sort()]));
    assert.deepEqual(documented, configured);
  });
});
