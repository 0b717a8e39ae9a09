// Regenerates test/fixtures/github-openapi-subset.json.gz from GitHub's published OpenAPI descriptions
// (@octokit/openapi, 385 MB unpacked, of which the tests read a few operations). Run by hand, never by the tests:
//
//   node scripts/github-openapi-subset.mjs                 # the pinned version below
//   node scripts/github-openapi-subset.mjs --version 23.1.0
//
// Keeps, for each description, the operations listed in OPERATIONS verbatim with every component their $refs
// reach, and every other path and method as a stub that names its operationId: the local GitHub API server then
// routes exactly as against the full description, and reports a request for a stubbed operation as not covered
// instead of mistaking it for another one. Needs npm, tar and the network; only node built-ins here.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const PACKAGE = '@octokit/openapi';
const PINNED_VERSION = '23.0.2';
const DESCRIPTIONS = ['api.github.com', 'ghes-3.17', 'ghes-3.18', 'ghes-3.19'];

/** What chartship calls (src/report/github.ts) and what the tests send on purpose. Add here, then rerun. */
const OPERATIONS = [
  'issues/list-comments',
  'issues/create-comment',
  'issues/get-comment',
  'issues/update-comment',
  'issues/delete-comment',
  'repos/list-releases',
  'repos/get-release',
  'repos/get-release-by-tag',
  'repos/get-latest-release', // routing: a literal segment beats {release_id}
  'repos/create-release',
  'repos/update-release',
  'repos/upload-release-asset',
  'repos/list-pull-requests-associated-with-commit',
  'repos/get-branch', // mode auto: is the pushed branch protected?
  'pulls/list', // the open release pull request(s), by head branch
  'pulls/get',
  'pulls/create',
  'pulls/update', // release pull request: title and body updated in place, closed when nothing is left to release
  'repos/create-attestation',
  'repos/list-attestations', // what `gh attestation verify` reads
  'actions/get-workflow-run', // a push's range: which workflow this run is of
  'actions/list-workflow-runs', // …and the head of its last successful run on the branch
  'campaigns/create-campaign', // a body schema with additionalProperties: false
];

export const OUTPUT = 'test/fixtures/github-openapi-subset.json.gz';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Every `#/…` $ref inside `node`. */
function refsIn(node, found = []) {
  if (Array.isArray(node)) for (const item of node) refsIn(item, found);
  else if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string') found.push(node.$ref);
    for (const value of Object.values(node)) refsIn(value, found);
  }
  return found;
}

function pointer(ref) {
  if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref}`);
  return ref.slice(2).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function lookup(document, ref) {
  let target = document;
  for (const key of pointer(ref)) target = target?.[key];
  if (target === undefined) throw new Error(`$ref ${ref} points nowhere`);
  return target;
}

/** The subset of one description; `wanted` operationIds missing from it are simply absent (GHES lacks some). */
export function subset(document, wanted) {
  const resolve = (node) => {
    for (let hops = 0; node && typeof node.$ref === 'string'; hops++) {
      if (hops > 32) throw new Error(`$ref loop at ${node.$ref}`);
      node = lookup(document, node.$ref);
    }
    return node;
  };
  const kept = [];
  const paths = {};
  for (const [template, item] of Object.entries(document.paths)) {
    const out = {};
    const shared = item.parameters ?? [];
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (wanted.includes(operation.operationId)) {
        out[method] = operation;
        kept.push(operation.operationId);
        continue;
      }
      // Routing needs the multi-segment path parameters (`releases/tags/{tag}` takes slashes), nothing else.
      const multi = [...shared, ...(operation.parameters ?? [])].map(resolve).filter((p) => p.in === 'path' && p['x-multi-segment']);
      out[method] = {
        operationId: operation.operationId,
        'x-not-in-subset': true,
        ...(multi.length > 0 ? { parameters: multi.map((p) => ({ name: p.name, in: 'path', required: true, 'x-multi-segment': true })) } : {}),
        responses: {},
      };
    }
    if (shared.length > 0 && Object.values(out).some((op) => !op['x-not-in-subset'])) out.parameters = shared;
    paths[template] = out;
  }

  // Close over $refs: each component reached from a kept operation, and from those components, transitively.
  const components = {};
  const queue = refsIn(paths);
  for (const seen = new Set(); queue.length > 0; ) {
    const ref = queue.pop();
    if (seen.has(ref)) continue;
    seen.add(ref);
    const [section, kind, name, ...rest] = pointer(ref);
    if (section !== 'components' || !kind || !name) throw new Error(`unexpected $ref ${ref}`);
    const component = document.components[kind]?.[name];
    if (component === undefined) throw new Error(`$ref ${ref} points nowhere`);
    ((components[kind] ??= {})[name] = component);
    if (rest.length > 0) lookup(document, ref);
    queue.push(...refsIn(component));
  }
  // Stable order regardless of discovery order, so regenerating the same version gives the same bytes.
  const sorted = Object.fromEntries(
    Object.keys(components)
      .sort()
      .map((kind) => [kind, Object.fromEntries(Object.keys(components[kind]).sort().map((name) => [name, components[kind][name]]))]),
  );
  const result = { openapi: document.openapi, info: document.info, paths, components: sorted };
  for (const ref of refsIn(result)) lookup(result, ref); // Every $ref left must resolve inside the subset.
  return { document: result, kept };
}

async function main() {
  const at = process.argv.indexOf('--version');
  const version = at > 0 ? process.argv[at + 1] : PINNED_VERSION;
  const work = mkdtempSync(join(tmpdir(), 'chartship-openapi-'));
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', `${PACKAGE}@${version}`, '--json', '--pack-destination', work], { cwd: work, encoding: 'utf8' }));
    const tarball = join(work, packed.filename);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (integrity !== packed.integrity) throw new Error(`${packed.filename}: integrity ${integrity} is not the published ${packed.integrity}`);
    execFileSync('tar', ['-xzf', tarball, '-C', work, ...DESCRIPTIONS.map((name) => `package/generated/${name}.json`)]);

    const descriptions = {};
    const keptAnywhere = new Set();
    for (const name of DESCRIPTIONS) {
      const full = JSON.parse(readFileSync(join(work, 'package', 'generated', `${name}.json`), 'utf8'));
      const { document, kept } = subset(full, OPERATIONS);
      for (const id of kept) keptAnywhere.add(id);
      descriptions[name] = document;
      console.log(`${name}: ${kept.length} of ${OPERATIONS.length} operations, ${Object.values(document.components).reduce((n, c) => n + Object.keys(c).length, 0)} components`);
    }
    const missing = OPERATIONS.filter((id) => !keptAnywhere.has(id));
    if (missing.length > 0) throw new Error(`not in any description: ${missing.join(', ')}`);

    const fixture = { source: { package: PACKAGE, version, integrity }, generator: 'scripts/github-openapi-subset.mjs', operations: OPERATIONS, descriptions };
    const gz = gzipSync(JSON.stringify(fixture), { level: 9 });
    writeFileSync(new URL(`../${OUTPUT}`, import.meta.url), gz);
    console.log(`wrote ${OUTPUT}: ${gz.length} bytes (${PACKAGE}@${version})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
