// Bundles the action and the CLI into dist/ so that `uses: …@ref` and `node dist/cli.js` run with no node_modules.
import { build } from 'esbuild';

// Some dependencies are still CommonJS and call require(); an ESM bundle needs a real require for them.
const banner = [
  "import { createRequire as __chartshipCreateRequire } from 'node:module';",
  'const require = __chartshipCreateRequire(import.meta.url);',
].join('\n');

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  // The output must be byte-stable so CI can check dist/ is fresh.
  metafile: false,
  sourcemap: false,
  // jsonc-parser's `main` is a UMD build that requires its own files at run time, which a bundle cannot serve;
  // its ESM build bundles like any other module.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // minipass-fetch (under @sigstore/sign's make-fetch-happen) loads `encoding` (iconv-lite, 0.5 MB) in a try/catch
  // for its textConverted(), which nothing here calls: left out, the require fails and is caught.
  external: ['encoding'],
};

// `--outdir DIR` lets the freshness test build elsewhere and compare with the committed dist/.
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? process.argv[at + 1] : 'dist';

await build({ ...common, entryPoints: ['src/action/main.ts'], outfile: `${outdir}/index.js`, banner: { js: banner } });
// The AWS SDK (ECR only) in a file of its own, imported at run time by both entry points when an ECR host needs it.
await build({ ...common, entryPoints: ['src/oci/registries/ecr-sdk.ts'], outfile: `${outdir}/ecr-sdk.js`, banner: { js: banner } });
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: `${outdir}/cli.js`,
  banner: { js: `#!/usr/bin/env node\n${banner}` },
});
