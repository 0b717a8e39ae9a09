// The tests and the sources they import, compiled once from TypeScript to JavaScript for `npm test`
// (scripts/test.mjs), so that no test process starts a TypeScript loader: tsx registers its hooks in every one of
// the ~80 test processes and transforms each module through them, 0.3–0.6 s of CPU per process, a third of a
// suite that shares two cores. Files are transformed one by one (no bundling), under the same layout (src/, test/),
// so relative imports, module identity and node_modules resolution stay what they are under tsx.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

const root = join(import.meta.dirname, '..');

function filesIn(dir, pattern) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesIn(join(dir, e.name), pattern) : pattern.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/**
 * Compiles src/ and test/ into `outdir` (which must lie inside the repository, so packages resolve from its
 * node_modules). Test code finds fixtures, examples and the repository root through import.meta, so there it is
 * pinned to the source file's own location; src/ keeps its own, as the bundle does (aws-lib.js beside ecr.js).
 * Returns the compiled path of each source path.
 */
export async function compileTests(outdir) {
  const testDir = join(root, 'test');
  const files = [...filesIn(join(root, 'src'), /\.ts$/), ...filesIn(testDir, /\.ts$/)];
  // Modules that are JavaScript already go along as they are, for a relative import of them.
  for (const file of [...filesIn(join(root, 'src'), /\.(mjs|cjs|js|json)$/), ...filesIn(testDir, /\.(mjs|cjs|js|json)$/)]) {
    const target = join(outdir, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  const compiled = new Map();
  await Promise.all(
    files.map(async (file) => {
      let code = readFileSync(file, 'utf8');
      if (file.startsWith(`${testDir}/`)) {
        code = code
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(file)))
          .replaceAll('import.meta.filename', JSON.stringify(file))
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href));
      }
      const result = await transform(code, {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
        sourcefile: file,
        // Stack traces of a failing test point at the TypeScript lines (node --enable-source-maps).
        sourcemap: 'inline',
        sourcesContent: false,
        // As tsc and tsx read tsconfig.json (target ES2022, verbatimModuleSyntax).
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: true } },
      });
      const target = join(outdir, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, result.code);
      compiled.set(relative(root, file), target);
    }),
  );
  return compiled;
}
