import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChartshipError, describeError, relocated } from '../model/errors.js';
import { highestMatch, type VersionConstraint } from '../charts/version-range.js';
import { loadUndici } from '../oci/undici.js';
import { indexText } from './classic-repository.js';
import { helmLoadsEntry, parseRepositoryIndex, type RepositoryIndex } from '../charts/repo-index.js';

/** One chart version listed in a repository's index.yaml. */
export interface IndexEntry {
  version: string;
  urls: string[];
  digest?: string;
}

export interface RepositoryOptions {
  /** Directory for downloaded archives, keyed by URL + digest; safe to keep between runs (e.g. with @actions/cache). */
  cacheDir?: string;
  /** Allow plain http:// to hosts other than loopback. */
  insecureHttp?: boolean;
  timeoutMs?: number;
  /**
   * Fetches a URL's bytes, at most `limit`: the caller's HTTP stack (retries, deadlines, TLS, proxy), so every
   * outgoing request goes through one transport. Without it a bare fetch is used.
   */
  download?: (url: URL, limit: { what: string; limit: number }) => Promise<Buffer>;
  /**
   * The repository's own client, when `helm repo add` gave it credentials or TLS settings (its index and archives are
   * fetched with them, instead of through `download`).
   */
  client?: { get(url: URL, what: string, limit: number): Promise<Buffer> };
  /**
   * The index.yaml files read so far, by URL: the dependencies of one chart (and of its file:// charts), or of a
   * whole run, on one repository fetch and decode its index once.
   */
  indexes?: RepositoryIndexes;
}

/** Decoded index.yaml files by URL (RepositoryOptions.indexes). */
export type RepositoryIndexes = Map<string, Promise<Map<string, IndexEntry[]>>>;

const MAX_DOWNLOAD = 100 * 1024 * 1024;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const refused = (status: number) => status === 401 || status === 403;

/** `repository/index.yaml`, the way helm builds it (one `/` between). */
export function indexUrl(repository: string): string {
  return `${repository.replace(/\/+$/, '')}/index.yaml`;
}

/** helm resolves `urls[0]` against the repository URL taken as a directory. */
export function resolveChartUrl(repository: string, url: string): string {
  const base = new URL(repository);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL(url, base).toString();
}

/**
 * The versions of each chart an index lists, as helm's loadIndex keeps them (those it can load, with urls): fetched and
 * decoded once for every dependency that shares `options.indexes` (a public index is tens of megabytes). A failure is
 * not kept: the next dependency asks again, and its error names its own line.
 */
export function fetchIndex(repository: string, options: RepositoryOptions, where: { file: string; field: string }): Promise<Map<string, IndexEntry[]>> {
  const url = indexUrl(repository);
  const known = options.indexes?.get(url);
  // A download under way when this dependency asks fails with the first asker's location: told here as this one's.
  if (known) {
    return known.catch((error: unknown) => {
      throw error instanceof ChartshipError ? relocated(error, { line: undefined, column: undefined, ...where }) : error;
    });
  }
  const index = readIndex(url, options, where);
  if (options.indexes) {
    options.indexes.set(url, index);
    index.catch(() => options.indexes?.delete(url));
  }
  return index;
}

async function readIndex(url: string, options: RepositoryOptions, where: { file: string; field: string }): Promise<Map<string, IndexEntry[]>> {
  const body = await download(url, options, where, 'chart repository index');
  let index: RepositoryIndex;
  try {
    index = parseRepositoryIndex(indexText(body, url), url);
  } catch (error) {
    if (!(error instanceof ChartshipError)) throw error;
    throw new ChartshipError(`${url} is not a valid chart repository index: ${error.describe()}`, { ...where, code: 'REPO_INDEX_INVALID' });
  }
  const out = new Map<string, IndexEntry[]>();
  for (const [name, list] of index.entries) {
    out.set(
      name,
      list.filter((e) => e.urls.length > 0 && helmLoadsEntry(e)).map((e) => ({ version: e.version, urls: e.urls, ...(e.digest ? { digest: e.digest } : {}) })),
    );
  }
  return out;
}

/** The chart version a range picks from an index, with the archive downloaded (from the cache when there). */
export async function pullFromRepository(
  repository: string,
  name: string,
  range: VersionConstraint,
  pinned: string | undefined,
  options: RepositoryOptions,
  where: { file: string; field: string },
): Promise<{ version: string; archive: Buffer; url: string }> {
  const index = await fetchIndex(repository, options, where);
  const versions = index.get(name) ?? [];
  if (versions.length === 0) {
    throw new ChartshipError(`chart ${JSON.stringify(name)} not found in ${indexUrl(repository)}`, { ...where, code: 'DEPENDENCY_NOT_FOUND' });
  }
  if (pinned && !versions.some((v) => v.version === pinned)) throw pinGone(name, pinned, indexUrl(repository), versions.map((v) => v.version), where);
  const version = pinned ?? highestMatch(versions.map((v) => v.version), range);
  const entry = versions.find((v) => v.version === version);
  if (!entry || !version) {
    throw new ChartshipError(`no version of ${name} in ${indexUrl(repository)} matches ${JSON.stringify(range.raw)}`, {
      ...where,
      code: 'DEPENDENCY_NOT_FOUND',
      hint: `available: ${versions.slice(0, 10).map((v) => v.version).join(', ')}`,
    });
  }
  const url = resolveChartUrl(repository, entry.urls[0]!);
  const archive = await cachedDownload(url, entry.digest, options, where);
  return { version, archive, url };
}

/** `helm dependency build` fetches what the lock pins or fails: a lock is not silently re-resolved. */
export function pinGone(name: string, pinned: string, source: string, available: string[], where: { file: string; field: string }): ChartshipError {
  return new ChartshipError(`Chart.lock pins ${name} ${pinned}, which ${source} does not have`, {
    ...where,
    code: 'DEPENDENCY_NOT_FOUND',
    hint: `run helm dependency update and commit the new Chart.lock${available.length > 0 ? ` (available: ${available.slice(0, 10).join(', ')})` : ''}`,
  });
}

async function cachedDownload(url: string, digest: string | undefined, options: RepositoryOptions, where: { file: string; field: string }): Promise<Buffer> {
  const expected = digest?.replace(/^sha256:/, '').toLowerCase();
  const path = options.cacheDir ? join(options.cacheDir, `${createHash('sha256').update(`${url}\n${expected ?? ''}`).digest('hex')}.tgz`) : undefined;
  if (path) {
    const cached = await readFile(path).catch(() => undefined);
    if (cached && (!expected || sha256(cached) === expected)) return cached;
  }
  const archive = await download(url, options, where, 'chart archive');
  if (expected && sha256(archive) !== expected) {
    throw new ChartshipError(`${url} does not match the digest in the repository index (sha256:${expected})`, { ...where, code: 'DIGEST_MISMATCH' });
  }
  if (path && options.cacheDir) {
    await mkdir(options.cacheDir, { recursive: true });
    // Written aside and renamed, so a concurrent or interrupted run never reads half a file.
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, archive);
    await rename(temp, path);
  }
  return archive;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function download(url: string, options: RepositoryOptions, where: { file: string; field: string }, what: string): Promise<Buffer> {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:' && !options.insecureHttp && !LOOPBACK.has(parsed.hostname)) {
    throw new ChartshipError(`refusing plain http:// for ${parsed.host}`, { ...where, code: 'INSECURE_REPOSITORY', hint: 'use https://' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ChartshipError(`unsupported URL scheme in ${url}`, { ...where, code: 'DEPENDENCY_INVALID' });
  }
  const fetcher = options.client ? (u: URL) => options.client!.get(u, what, MAX_DOWNLOAD) : options.download && ((u: URL) => options.download!(u, { what, limit: MAX_DOWNLOAD }));
  if (fetcher) {
    try {
      return await fetcher(parsed);
    } catch (error) {
      // A refusal keeps its code and hint apart: the caller says how to give this repository credentials.
      if (error instanceof ChartshipError && error.code === 'UNAUTHORIZED') {
        throw new ChartshipError(`cannot download ${url}: ${error.message}`, { ...where, code: error.code, hint: error.hint, cause: error });
      }
      throw new ChartshipError(`cannot download ${url}: ${describeError(error)}`, { ...where, code: 'DOWNLOAD_FAILED', cause: error });
    }
  }
  let response;
  try {
    const { fetch } = await loadUndici();
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000), redirect: 'follow' });
  } catch (error) {
    throw new ChartshipError(`cannot download ${url}: ${(error as Error).message}`, { ...where, code: 'DOWNLOAD_FAILED', cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ChartshipError(`cannot download ${url}: HTTP ${response.status}`, { ...where, code: refused(response.status) ? 'UNAUTHORIZED' : 'DOWNLOAD_FAILED' });
  }
  return Buffer.from(await response.arrayBuffer());
}
