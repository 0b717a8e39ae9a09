import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { updateBranchFiles } from '../changes/branch-files.js';
import { BOT_IDENTITY, createGit } from '../changes/git.js';
import type { ChartMetadata } from '../model/metadata.js';
import { emptyIndex, indexEntry, parseRepositoryIndex, putIndexEntry, renderRepositoryIndex, type RepositoryIndex } from '../charts/repo-index.js';
import { ChartshipError } from '../model/errors.js';
import { writeAtomically } from '../package/index.js';
import type { GitHubClient } from './github.js';
import type { Log } from './log.js';

/**
 * Where the classic index lives and where its urls point, for users of `helm repo add` while a project moves to
 * OCI. The archives sit next to index.yaml (urls relative, or below `baseUrl`) unless `releaseAssets`, when they
 * are attached to each chart's GitHub release and the urls point there, as chart-releaser does.
 */
export interface ClassicIndexOptions {
  location: { kind: 'branch'; remote: string; branch: string } | { kind: 'directory'; path: string };
  /** The URL the archives are served from (the Pages site); none: relative urls. */
  baseUrl?: string;
  /** Attach the archives to the GitHub releases and point the urls there. */
  releaseAssets?: boolean;
  /** Replace a version the index lists with another archive (the `overwrite` setting); otherwise that entry stays. */
  overwrite?: boolean;
}

/** A chart published in this run, as the index needs it. */
export interface IndexedChart {
  metadata: ChartMetadata;
  fileName: string;
  archive: Buffer;
  prov?: Buffer;
  /** The release its archive is attached to (release-asset urls). */
  releaseTag?: string;
}

export interface ClassicIndexOutcome {
  /** The directory or `branch on remote`. */
  location: string;
  /** `name version` of each entry added or changed. */
  changed: string[];
  /** The commit pushed to the branch. */
  commit?: string;
}

const INDEX = 'index.yaml';

/**
 * Adds the charts to the classic index, keeping every entry already there: a version listed with the same digest
 * is left as it is (its `created` too), so a rerun changes nothing and writes nothing.
 */
export async function updateClassicIndex(
  charts: IndexedChart[],
  options: ClassicIndexOptions,
  context: { cwd: string; github?: GitHubClient; now?: () => Date; log: Log },
): Promise<ClassicIndexOutcome> {
  const now = context.now ?? (() => new Date());
  const urls = new Map<IndexedChart, string>();
  for (const chart of charts) {
    if (options.releaseAssets) {
      if (!context.github || !chart.releaseTag) throw new ChartshipError(`no GitHub release to attach ${chart.fileName} to`, { field: 'classic-index', code: 'RELEASE_MISSING' });
      const asset = await context.github.uploadReleaseAsset({ tag: chart.releaseTag, name: chart.fileName, data: chart.archive, contentType: 'application/gzip' });
      // Signing again gives another signature over the same archive: the one published stands, as in the registry.
      if (chart.prov) await context.github.uploadReleaseAsset({ tag: chart.releaseTag, name: `${chart.fileName}.prov`, data: chart.prov, contentType: 'text/plain', keepExisting: true });
      if (asset.uploaded) context.log.info(`attached ${chart.fileName} to release ${chart.releaseTag}`);
      urls.set(chart, asset.url);
    } else {
      urls.set(chart, options.baseUrl ? `${options.baseUrl.replace(/\/+$/, '')}/${chart.fileName}` : chart.fileName);
    }
  }

  const location = options.location;
  const where = location.kind === 'branch' ? `${location.branch} on ${location.remote}` : location.path;
  let changed: string[] = [];
  let kept: string[] = [];
  const update = async (read: (name: string) => Promise<Buffer | undefined>): Promise<{ files: Map<string, Buffer>; message: string } | undefined> => {
    const existing = await read(INDEX);
    const index: RepositoryIndex = existing ? parseRepositoryIndex(existing.toString('utf8'), `${where} ${INDEX}`) : emptyIndex();
    const files = new Map<string, Buffer>();
    changed = [];
    kept = [];
    for (const chart of charts) {
      const digest = createHash('sha256').update(chart.archive).digest('hex');
      const url = urls.get(chart)!;
      const listed = index.entries.get(chart.metadata.name)?.find((v) => v.version === chart.metadata.version);
      if (listed?.digest === digest && listed.urls[0] === url) continue;
      // Listed with another archive (chart-releaser's `helm package` of the same sources differs byte for byte): the
      // archive and digest helm repo users have are the published version, as a registry tag is.
      if (listed && listed.digest !== digest && !options.overwrite) {
        kept.push(`${chart.metadata.name} ${chart.metadata.version} (sha256:${listed.digest ?? 'none listed'})`);
        continue;
      }
      putIndexEntry(index, indexEntry(chart.metadata, { urls: [url], digest, created: now() }));
      changed.push(`${chart.metadata.name} ${chart.metadata.version}`);
      if (!options.releaseAssets) {
        files.set(chart.fileName, chart.archive);
        if (chart.prov) files.set(`${chart.fileName}.prov`, chart.prov);
      }
    }
    if (changed.length === 0 && existing) return undefined;
    files.set(INDEX, Buffer.from(renderRepositoryIndex(index, now())));
    return { files, message: `chore(classic-index): ${changed.length > 0 ? `add ${changed.join(', ')}` : 'start the index'} [skip ci]` };
  };

  const warnKept = (): void => {
    if (kept.length > 0) context.log.warning(`classic index ${where} already lists ${kept.join(', ')} with another archive: left as it is (overwrite: true replaces it)`);
  };
  if (location.kind === 'directory') {
    const dir = resolve(context.cwd, location.path);
    const change = await update((name) => readFile(join(dir, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    }));
    // The archives first, the index last: a reader never sees an entry whose archive is not there yet.
    for (const [name, bytes] of [...(change?.files ?? [])].sort(([a], [b]) => (a === INDEX ? 1 : b === INDEX ? -1 : 0))) await writeAtomically(dir, name, bytes);
    warnKept();
    return { location: where, changed };
  }
  const commit = await updateBranchFiles(createGit(context.cwd), { remote: location.remote, branch: location.branch, identity: BOT_IDENTITY, update });
  warnKept();
  return { location: where, changed, ...(commit ? { commit } : {}) };
}
