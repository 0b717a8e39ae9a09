// Bundles the action and the CLI into dist/ so that `uses: …@ref` and `node dist/cli.js` run with no node_modules.
//
// One build for both entry points, split into chunks (dist/chunks/): code both use is written once, and whatever
// is loaded with a dynamic import() (a CLI command, openpgp, the AWS credential chain, the cache client, Octokit,
// ajv) becomes a chunk of its own that is read only on the path that needs it, so a start evaluates little. The code
// the busy paths share is in a few chunk groups (below), since node pays for every file it reads.
//
// All of dist/ is kept within 3,000,000 bytes (issue 12; test/bundle-loading.test.ts checks it): ES module builds
// first, one copy of each package version, and the plugins below leave out what chartship never runs.
//
// Minified, with a `//# sourceMappingURL` comment in every file. The .map files are not in dist/ (they would be
// three times its size): `node scripts/build.mjs --sourcemap` writes them beside byte-identical code, and
// `node --enable-source-maps dist/cli.js …` then prints stack traces in the sources' files, lines and names.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { chunkGroups } from './bundle/chunk-groups.mjs';
import { oneCopyPerVersion } from './bundle/one-copy-per-version.mjs';

// Some dependencies are still CommonJS and call require(); an ESM chunk needs a real require for them.
const banner = [
  "import { createRequire as __chartshipCreateRequire } from 'node:module';",
  'const require = __chartshipCreateRequire(import.meta.url);',
].join('\n');

const option = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
// `--outdir DIR` lets the tests build elsewhere and compare with the committed dist/. esbuild is always told dist/,
// so the source maps' paths, and with them the chunks' hashed names, are the same wherever the files are written.
const outdir = resolve(option('--outdir') ?? dist);
const maps = process.argv.includes('--sourcemap');
// `--metafile FILE` writes esbuild's account of every output: its inputs, their bytes, and what it imports (statically
// or dynamically). test/bundle-loading.test.ts reads it to prove what a start evaluates; bench/side-by-side to say
// what takes the space.
const metafile = option('--metafile');

/** @actions/http-client gets undici through scripts/bundle/http-client-undici.mjs, which reads it on first use. */
const lazyUndiciForHttpClient = {
  name: 'http-client-undici',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) =>
      /[/\\]@actions[/\\]http-client[/\\]/.test(args.importer) ? { path: join(root, 'scripts', 'bundle', 'http-client-undici.mjs') } : undefined,
    );
  },
};

/** The AWS SDK's nested clients are left out of the bundle: scripts/bundle/aws-nested-clients.mjs says why. */
const withoutAwsNestedClients = {
  name: 'aws-nested-clients',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/nested-clients(\/|$)/ }, () => ({ path: join(root, 'scripts', 'bundle', 'aws-nested-clients.mjs') }));
  },
};

/**
 * undici compiles its HTTP parser (llhttp) from one of two WebAssembly builds, each ≈ 72 kB in dist/: with SIMD, or
 * the plain one it falls back to where SIMD is unavailable or `UNDICI_NO_WASM_SIMD=1`. The bundle keeps the plain one,
 * which runs everywhere: undici finds no SIMD build and takes its own fallback path.
 */
const plainLlhttp = {
  name: 'plain-llhttp',
  setup(build) {
    build.onResolve({ filter: /llhttp_simd-wasm\.js$/ }, (args) =>
      /[/\\]undici[/\\]/.test(args.importer) ? { path: 'llhttp-simd', namespace: 'plain-llhttp' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'plain-llhttp' }, () => ({ contents: 'module.exports = null;', loader: 'js' }));
  },
};

/**
 * undici's index loads every part of it, including parts that chartship never uses: its test doubles (MockAgent,
 * MockPool, SnapshotAgent…), WebSocket, EventSource (≈ 74 kB in dist/ together); its HTTP caches (the `cache`
 * interceptor, the cache stores, the web CacheStorage), the `dns`, `deduplicate` and `decompress` interceptors and
 * the H2C, retry and pooled agents (≈ 68 kB: chartship requests through `request`, `fetch`, `Agent` and the proxy
 * agents only); and the cookie helpers, whose module
 * reads `globalThis.Headers` when it loads, which makes node load its own copy of undici (≈ 20 ms of every run that
 * talks to a registry). The bundle has a stand-in for each (tests run from source and get the real ones): any export
 * of it is a class that says so when made.
 */
const undiciWithoutUnusedParts = {
  name: 'undici-without-unused-parts',
  setup(build) {
    build.onResolve({ filter: /^\.\/lib\/(mock\/|web\/websocket\/|web\/eventsource\/|web\/cookies$|web\/cache\/|cache\/|interceptor\/(dns|cache|deduplicate|decompress)$|dispatcher\/(h2c-client|retry-agent|balanced-pool|round-robin-pool)$)/ }, (args) =>
      /[/\\]undici[/\\]index\.js$/.test(args.importer) ? { path: args.path, namespace: 'undici-unused' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'undici-unused' }, (args) => ({
      contents: [
        `const said = ${JSON.stringify(`undici's ${args.path} is not in chartship's bundle`)};`,
        // undici's index makes its CacheStorage (`caches`) as it loads: that one is made, and says so when used.
        args.path.startsWith('./lib/web/cache/')
          ? 'class NotBundled { constructor() { return new Proxy({}, { get() { throw new Error(said); } }); } }'
          : 'class NotBundled { constructor() { throw new Error(said); } }',
        'module.exports = new Proxy(NotBundled, { get: (target, name) => (name in target ? target[name] : NotBundled) });',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

const options = {
  absWorkingDir: root,
  entryPoints: { index: 'src/action/main.ts', cli: 'src/cli/main.ts' },
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // A package's ES module build (`module`) before its CommonJS one (`main`): esbuild drops what an ES module does
  // not use (tree shaking), which it cannot do across require(). The AWS SDK, @smithy and protobuf-ts ship both.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // Text as UTF-8 (ES modules are read as UTF-8): esbuild's default escapes every other character (the labels' ✅, →,
  // —), six bytes or twelve for one of two to four.
  charset: 'utf8',
  logLevel: 'warning',
  metafile: metafile !== undefined,
  banner: { js: banner },
  // `chartship --version` and the User-Agent (src/model/version.ts): the version the package is published as.
  define: { __CHARTSHIP_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  // Nothing is written until the whole build succeeded (and then not the maps, unless asked).
  write: false,
  // jsonc-parser's `main` is a UMD build that requires its own files at run time, which a bundle cannot serve;
  // its ESM build bundles like any other module.
  alias: {
    'jsonc-parser': 'jsonc-parser/lib/esm/main.js',
  },
  plugins: [lazyUndiciForHttpClient, withoutAwsNestedClients, plainLlhttp, undiciWithoutUnusedParts, oneCopyPerVersion(join(root, 'node_modules'))],
  external: [
    // The AWS SDK imports bowser only to read a browser's user agent; in node it never does.
    'bowser',
    // minipass-fetch (under @sigstore/sign's make-fetch-happen) loads `encoding` (iconv-lite, 0.5 MB) in a try/catch
    // for its textConverted(), which nothing here calls: left out, the require fails and is caught.
    'encoding',
  ],
};

/**
 * Modules that load as one chunk each (scripts/bundle/chunk-groups.mjs), named by the entry points that all reach them;
 * a group takes its modules before the groups after it: what both starts share; the commands' flags; what a plan shares
 * with the action's start (settings, configuration, chart discovery); the planning; what the planning shares with the
 * lighter commands (Chart.yaml reading, git, redaction). The lighter commands are kept apart from the two big ones,
 * which they would load for a module or two. `chartship plan` reads 10 files, not 39; the action 34, not 56.
 */
const light = ['push', 'pull', 'verify', 'verify-attestation', 'package', 'migrate'].map((command) => `src/cli/commands/${command}.ts`);
const groups = [
  { name: 'start', reachedBy: ['src/cli/main.ts', 'src/action/main.ts'] },
  { name: 'cli-flags', reachedBy: ['src/cli/commands/plan.ts'] },
  { name: 'settings', reachedBy: ['src/cli/commands/plan-run.ts', 'src/action/main.ts'], apartFrom: light },
  { name: 'plan', reachedBy: ['src/cli/commands/plan-run.ts'], apartFrom: light },
  { name: 'basics', reachedBy: ['src/cli/commands/plan-run.ts'] },
];
// The import graph the groups are drawn from: the same build without them (nothing of it is written).
const graph = await build({ ...options, minify: false, sourcemap: false, metafile: true });
const result = await build({ ...options, plugins: [chunkGroups(root, graph.metafile, groups), ...options.plugins] });

// What the build writes is all of dist/: chunks of an earlier build (other hashes) must not linger there.
mkdirSync(outdir, { recursive: true });
for (const entry of readdirSync(outdir)) {
  if (entry === 'chunks' || /\.(js|map)$/.test(entry)) rmSync(join(outdir, entry), { recursive: true, force: true });
}
for (const file of result.outputFiles) {
  if (file.path.endsWith('.map') && !maps) continue;
  const path = join(outdir, relative(dist, file.path));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.contents);
}
if (metafile) writeFileSync(resolve(metafile), JSON.stringify(result.metafile));
