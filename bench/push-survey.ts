/**
 * Push parity over real chart trees: every chart helm 3 packages (the charts parity-survey.ts finds, made ready the
 * same way) is pushed as that one archive by `helm push` of helm 3 and of helm 4 and by the bundled CLI
 * (`node dist/cli.js push`), each into a namespace of its own on a local registry (docker-registry, anonymous, plain
 * HTTP). What the registry then holds is read back over HTTP and compared with what each helm stored: the manifest's
 * Content-Type, fields, media type, config descriptor and blob bytes, layers (media type, digest, size), annotations
 * (each key that differs; `created` comes from the archive's mtime, the same file here, so it must agree too) and the
 * tags of the repository. Every `--pull-every`th chart chartship pushed is then pulled back with `helm pull --version`
 * of each major and rendered with `helm template`: the archive must come back byte for byte and render as the
 * original (`--verify` with `--verify-keyring`). Asserts nothing; prints a tally per tree and every chart whose artifact is not helm's, one line each.
 *
 *   npx tsx bench/push-survey.ts [--cli dist/cli.js] [--json out.json] [--only SUBSTRING] [--pull-every 10] [--package-flags 'FLAGS'] [--verify-keyring FILE] DIR…
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HELM_MAJORS, type HelmMajor } from '../test/helpers/helm.js';
import { startRegistry, type TestRegistry } from '../test/helpers/registry.js';
import { CLI as BUNDLED_CLI, TIMEOUT_MS, exec, firstLine, helm, onReadyChart, option, pack, printTally, removeWorkDirs, scratch, surveyTrees, trees, type Corpus } from './survey-corpus.js';

const CLI = resolve(option('--cli') ?? BUNDLED_CLI);
const JSON_OUT = option('--json');
const ONLY = option('--only');
const PULL_EVERY = Number(option('--pull-every') ?? 10);
/** Flags for helm 3's `package`, e.g. `--version 1.0.0+build.1` (a tag with `_`) or `--sign --key K --keyring FILE` (a prov layer). */
const PACKAGE_FLAGS = option('--package-flags')?.split(' ').filter(Boolean) ?? [];
/** With signed charts: the public keyring `helm pull --verify` checks the pulled chart's provenance against. */
const VERIFY_KEYRING = option('--verify-keyring');
const TREES = trees();
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const PULLED = `pulled and rendered with helm ${HELM_MAJORS.join(' and ')}`;

type Pusher = `helm${HelmMajor}` | 'chartship';
type Verdict = 'identical' | 'differs' | 'helms-disagree' | 'all-refuse-push' | 'chartship-refuses-push' | 'helm-refuses-push' | 'pull-or-template-fails' | 'helm-refuses-to-package' | 'needs-network';
interface Result {
  tree: string;
  chart: string;
  verdict: Verdict;
  why: string;
}
/** What the registry holds after one push. */
interface Stored {
  ref: string;
  contentType: string;
  manifest: Buffer;
  config: Buffer;
  tags: string[];
}

let registry: TestRegistry;
let charts = 0;

async function get(path: string, accept?: string): Promise<{ body: Buffer; type: string }> {
  const response = await fetch(`${registry.url}${path}`, { headers: accept ? { accept } : {}, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${body.toString('utf8').slice(0, 200)}`);
  return { body, type: response.headers.get('content-type') ?? '' };
}

/** Pushes `archive` as `who` into `namespace`; what the registry then holds, or why the push failed. */
async function push(who: Pusher, archive: string, namespace: string): Promise<Stored | string> {
  const target = `oci://${registry.host}/${namespace}`;
  const { ok, out } =
    who === 'chartship'
      ? await exec(process.execPath, [CLI, 'push', archive, target, '--plain-http'], { PATH: process.env['PATH'], TZ: process.env['TZ'], HOME: scratch })
      : await helm(Number(who.slice(4)) as HelmMajor, ['push', archive, target, '--plain-http']);
  if (!ok) return firstLine(out) || 'push failed';
  const ref = /Pushed: (\S+)/.exec(out)?.[1];
  if (!ref) return `no Pushed: line in ${JSON.stringify(out.slice(0, 200))}`;
  const [repository, tag] = ref.slice(registry.host.length + 1).split(':') as [string, string];
  const manifest = await get(`/v2/${repository}/manifests/${tag}`, MANIFEST);
  const parsed = JSON.parse(manifest.body.toString('utf8')) as { config: { digest: string } };
  const config = await get(`/v2/${repository}/blobs/${parsed.config.digest}`);
  const tags = JSON.parse((await get(`/v2/${repository}/tags/list`)).body.toString('utf8')) as { tags: string[] };
  return { ref: ref.slice(registry.host.length + 1 + namespace.length + 1), contentType: manifest.type, manifest: manifest.body, config: config.body, tags: tags.tags.sort() };
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  [key: string]: unknown;
}
interface Manifest {
  config?: Descriptor;
  layers?: Descriptor[];
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** Every way `ours` differs from `theirs`, one phrase each; none when the manifests are the same bytes. */
function differences(ours: Stored, theirs: Stored): string[] {
  if (ours.manifest.equals(theirs.manifest) && ours.contentType === theirs.contentType && ours.ref === theirs.ref && ours.tags.join() === theirs.tags.join()) return [];
  const found: string[] = [];
  const differ = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) found.push(`${what} ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  };
  differ('Content-Type', ours.contentType, theirs.contentType);
  differ('ref', ours.ref, theirs.ref);
  differ('tags', ours.tags, theirs.tags);
  const a = JSON.parse(ours.manifest.toString('utf8')) as Manifest;
  const b = JSON.parse(theirs.manifest.toString('utf8')) as Manifest;
  differ('manifest fields', Object.keys(a), Object.keys(b));
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) if (!['config', 'layers', 'annotations'].includes(field)) differ(field, a[field], b[field]);
  differ('config descriptor', a.config, b.config);
  if (!ours.config.equals(theirs.config)) {
    const at = [...ours.config].findIndex((byte, i) => byte !== theirs.config[i]);
    const around = (bytes: Buffer) => bytes.subarray(Math.max(0, at - 40), at + 60).toString('utf8');
    found.push(`config blob at byte ${at}: ${JSON.stringify(around(ours.config))} vs ${JSON.stringify(around(theirs.config))}`);
  }
  differ('layers', a.layers, b.layers);
  const keys = new Set([...Object.keys(a.annotations ?? {}), ...Object.keys(b.annotations ?? {})]);
  for (const key of [...keys].sort()) differ(`annotation ${key}`, a.annotations?.[key], b.annotations?.[key]);
  if (found.length === 0) found.push(`manifest bytes ${JSON.stringify(ours.manifest.toString('utf8').slice(0, 120))} vs ${JSON.stringify(theirs.manifest.toString('utf8').slice(0, 120))}`);
  return found;
}

/** `helm pull --version` of what chartship pushed, with each major: the same archive back, rendering as the original. */
async function pullAndTemplate(stored: Stored, namespace: string, archive: string, work: string): Promise<string[]> {
  const problems: string[] = [];
  const [name, tag] = stored.ref.split(':') as [string, string];
  const version = (JSON.parse(stored.config.toString('utf8')) as { version: string }).version;
  for (const major of HELM_MAJORS) {
    const out = mkdtempSync(join(work, `pull${major}-`));
    const pulled = await helm(major, ['pull', `oci://${registry.host}/${namespace}/${name}`, '--version', version, '--plain-http', '-d', out, ...(VERIFY_KEYRING ? ['--verify', '--keyring', VERIFY_KEYRING] : [])]);
    const files = readdirSync(out).filter((f) => f.endsWith('.tgz'));
    if (!pulled.ok || files.length !== 1) {
      problems.push(`helm ${major} pull --version ${version} (tag ${tag}): ${firstLine(pulled.out) || files.join(', ')}`);
      continue;
    }
    if (!readFileSync(join(out, files[0]!)).equals(readFileSync(archive))) problems.push(`helm ${major} pull: other bytes than pushed`);
    const original = await helm(major, ['template', 'survey', archive]);
    const again = await helm(major, ['template', 'survey', join(out, files[0]!)]);
    if (original.ok && !again.ok) problems.push(`helm ${major} template refuses the pulled chart: ${firstLine(again.out)}`);
    // Charts that make passwords or certificates (randAlphaNum, genCA) render differently each time: rendered twice, such
    // an original is only required to render.
    else if (original.ok && original.out !== again.out && (await helm(major, ['template', 'survey', archive])).out === original.out) problems.push(`helm ${major} template renders the pulled chart differently`);
  }
  return problems;
}

function survey(corpus: Corpus, dir: string): Promise<Result> {
  return onReadyChart<Result>(corpus, dir, async (input, work, result) => {
    const packed = await pack(3, input, join(work, 'h3'), PACKAGE_FLAGS);
    if (!packed.ok) return result('helm-refuses-to-package', packed.error!);
    const archive = join(work, 'h3', packed.fileName!);
    const id = ++charts;
    const stored = new Map<Pusher, Stored | string>();
    for (const who of ['helm3', 'helm4', 'chartship'] as Pusher[]) stored.set(who, await push(who, archive, `c${id}/${who}`));
    const refused = [...stored].filter(([, s]) => typeof s === 'string');
    const verdict = refused.length === stored.size ? 'all-refuse-push' : refused.some(([who]) => who === 'chartship') ? 'chartship-refuses-push' : 'helm-refuses-push';
    if (refused.length > 0) return result(verdict, refused.map(([who, why]) => `${who}: ${why as string}`).join(' | '));
    const [h3, h4, ours] = (['helm3', 'helm4', 'chartship'] as Pusher[]).map((who) => stored.get(who) as Stored) as [Stored, Stored, Stored];
    const d3 = differences(ours, h3);
    const d4 = differences(ours, h4);
    if (d3.length > 0 || d4.length > 0) {
      const helms = differences(h4, h3);
      return result(helms.length > 0 ? 'helms-disagree' : 'differs', `vs helm 3: ${d3.join('; ') || 'same'} | vs helm 4: ${d4.join('; ') || 'same'}${helms.length ? ` | helm 4 vs helm 3: ${helms.join('; ')}` : ''}`);
    }
    const layers = (JSON.parse(ours.manifest.toString('utf8')) as Manifest).layers?.length ?? 0;
    const what = `${ours.ref}, ${layers} layer${layers === 1 ? '' : 's'}`;
    if (id % PULL_EVERY !== 1 % PULL_EVERY) return result('identical', what);
    const problems = await pullAndTemplate(ours, `c${id}/chartship`, archive, work);
    if (problems.length > 0) return result('pull-or-template-fails', problems.join('; '));
    return result('identical', `${what}; ${PULLED}`);
  });
}

async function main(): Promise<void> {
  if (TREES.length === 0) throw new Error('usage: npx tsx bench/push-survey.ts [--cli dist/cli.js] [--json out.json] [--only SUBSTRING] [--pull-every N] [--package-flags FLAGS] [--verify-keyring FILE] DIR…');
  const started = Date.now();
  registry = await startRegistry();
  try {
    const results = await surveyTrees(TREES, ONLY, survey, (tree, chart, why): Result => ({ tree, chart, verdict: 'differs', why }));
    printTally(TREES, results, 'identical');
    const same = results.filter((r) => r.verdict === 'identical');
    const count = (pattern: RegExp) => same.filter((r) => pattern.test(r.why)).length;
    console.log(`\n${results.length} charts in ${((Date.now() - started) / 1000).toFixed(0)} s; of the ${same.length} identical: ${count(/:[^,]*_/)} tags with _, ${count(/2 layers/)} with a prov layer, ${count(new RegExp(PULLED))} ${PULLED}`);
    if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(results, null, 1));
  } finally {
    await registry.stop();
  }
}

try {
  await main();
} finally {
  removeWorkDirs();
}
