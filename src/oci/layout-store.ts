import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { anotherRunPushed } from './errors.js';
import { fileError, withFileLock, type FileLockOptions } from './file-lock.js';
import { repositoryFor } from './reference.js';
import { OCI_INDEX, OCI_MANIFEST, sha256 } from './registry.js';
import type { ArtifactStore, Blob, StoredManifest } from './store.js';

/** Tools (skopeo `oci:DIR:REF`, oras, crane) find a manifest in index.json by this annotation. */
export const REF_NAME = 'org.opencontainers.image.ref.name';

interface IndexEntry {
  mediaType?: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

interface ImageIndex {
  schemaVersion: number;
  manifests: IndexEntry[];
  [key: string]: unknown;
}

/** The index is rewritten by every push: one writer at a time, across processes, through this file beside it. */
export const INDEX_LOCK = 'index.json.lock';

/**
 * An `oci-layout:DIR` target (OCI image layout 1.0.0). Each chart is one index entry whose ref.name is
 * `<chart>:<tag>`, so one directory holds many charts and `skopeo inspect oci:DIR:<chart>:<tag>` finds them.
 *
 * Many pushes, from this process and others (two CI jobs on one runner, parallel `chartship push`), share one
 * index.json. Blobs are content-addressed and written atomically, so they need no coordination; every change to
 * index.json is a read-modify-write under a lock file, written atomically (temp file + rename) and read back.
 * A tag read for a push is remembered: when the index under the lock shows that tag holding another digest than
 * the one read and the one pushed, another run got there first, and the push fails instead of replacing it.
 */
export class LayoutStore implements ArtifactStore {
  readonly display: string;
  readonly #dir: string;
  readonly #lock: FileLockOptions;
  /** Digest (or absence) of each tag as read for a push, to detect a concurrent push at write time. */
  readonly #seen = new Map<string, string | undefined>();
  #ready: Promise<void> | undefined;
  #bytesWritten = 0;

  constructor(dir: string, cwd = process.cwd(), lock: FileLockOptions = {}) {
    if (!dir) throw new ChartshipError('oci-layout: needs a directory, e.g. oci-layout:./out', { code: 'TARGET_INVALID' });
    this.display = dir;
    this.#dir = resolve(cwd, dir);
    this.#lock = lock;
  }

  repository(chartName: string): string {
    return repositoryFor({ host: '', namespace: '' }, chartName);
  }

  refFor(repository: string, tag: string): string {
    return `oci:${this.display}:${repository}:${tag}`;
  }

  async getManifest(repository: string, tag: string, forPush = false): Promise<StoredManifest | undefined> {
    // In a layout every manifest is a blob; index.json names only the tagged ones.
    if (tag.startsWith('sha256:')) return (await this.#hasBlob(tag)) ? { bytes: await this.getBlob(repository, tag), digest: tag } : undefined;
    const entry = findEntry(await this.#readIndex(), `${repository}:${tag}`);
    if (forPush) this.#seen.set(`${repository}:${tag}`, entry?.digest);
    if (!entry) return undefined;
    const bytes = await this.getBlob(repository, entry.digest);
    return { bytes, digest: entry.digest };
  }

  /**
   * Whether a push could write the layout, found before the first push with every other target's check, so a path
   * that cannot hold a layout fails the run with nothing published anywhere. Like a registry's check it stores
   * nothing: a directory of chartship's own is made and removed where the layout's would go (a failing run leaves no
   * empty layout behind, and a layout other jobs share is never touched).
   */
  async probePush(): Promise<void> {
    const { existing } = await walkToExisting(this.#dir, this.display);
    const blobs = join(this.#dir, 'blobs', 'sha256');
    const places = existing === this.#dir && (await stat(blobs).then((s) => s.isDirectory(), () => false)) ? [existing, blobs] : [existing];
    for (const place of places) {
      const probe = join(place, `.chartship-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
      await mkdir(probe).catch((error: unknown) => Promise.reject(fileError(`cannot push to the OCI layout ${this.display}`, place, error)));
      await rmdir(probe);
    }
  }

  async putBlobs(_repository: string, blobs: Blob[]): Promise<void> {
    await this.#init();
    for (const blob of blobs) await this.#writeBlob(blob.digest, blob.bytes);
  }

  async putManifest(repository: string, tag: string, mediaType: string, bytes: Buffer): Promise<string> {
    await this.#init();
    const digest = sha256(bytes);
    await this.#writeBlob(digest, bytes);
    const name = `${repository}:${tag}`;
    const ref = this.refFor(repository, tag);
    const indexFile = join(this.#dir, 'index.json');
    return withFileLock(
      join(this.#dir, INDEX_LOCK),
      async (stillHeld) => {
        const index = await this.#readIndex();
        const current = findEntry(index, name)?.digest;
        if (current !== undefined && current !== digest && this.#seen.has(name) && current !== this.#seen.get(name)) {
          throw anotherRunPushed(ref, current);
        }
        // Replacing a tag replaces its entry; other charts' entries stay as they were.
        index.manifests = index.manifests.filter((m) => m.annotations?.[REF_NAME] !== name);
        index.manifests.push({ mediaType: mediaType || OCI_MANIFEST, digest, size: bytes.length, annotations: { [REF_NAME]: name } });
        await this.#writeAtomic(indexFile, Buffer.from(JSON.stringify(index)), stillHeld);
        const held = findEntry(await this.#readIndex(), name)?.digest;
        if (held !== digest) throw anotherRunPushed(ref, held);
        this.#seen.set(name, digest);
        return held;
      },
      this.#lock,
    );
  }

  /**
   * A layout has no referrers API: the manifest is stored as the blob it is, and the referrers tag (an index.json
   * entry like any tag) lists it.
   */
  async putManifestByDigest(repository: string, _mediaType: string, bytes: Buffer): Promise<{ digest: string; subjectIndexed: boolean }> {
    await this.putBlobs(repository, [{ mediaType: '', digest: sha256(bytes), size: bytes.length, bytes }]);
    return { digest: sha256(bytes), subjectIndexed: false };
  }

  referrersIndex(): Promise<Buffer | undefined> {
    return Promise.resolve(undefined);
  }

  async #hasBlob(digest: string): Promise<boolean> {
    return /^sha256:[a-f0-9]{64}$/.test(digest) && (await stat(join(this.#dir, 'blobs', 'sha256', digest.slice('sha256:'.length))).then(() => true, () => false));
  }

  async getBlob(_repository: string, digest: string): Promise<Buffer> {
    const [algorithm, hex] = digest.split(':');
    if (algorithm !== 'sha256' || !hex || !/^[a-f0-9]{64}$/.test(hex)) {
      throw new ChartshipError(`unsupported digest ${JSON.stringify(digest)} in ${this.display}`, { code: 'DIGEST_INVALID' });
    }
    const file = join(this.#dir, 'blobs', 'sha256', hex);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      throw new ChartshipError(`blob ${digest} is missing from the layout`, { file, code: 'BLOB_UNKNOWN' });
    }
    if (sha256(bytes) !== digest) throw new ChartshipError(`blob ${digest} is corrupt`, { file, code: 'DIGEST_MISMATCH' });
    return bytes;
  }

  async listTags(repository: string): Promise<string[]> {
    const prefix = `${repository}:`;
    return (await this.#readIndex()).manifests
      .map((m) => m.annotations?.[REF_NAME])
      .filter((name): name is string => typeof name === 'string' && name.startsWith(prefix))
      .map((name) => name.slice(prefix.length));
  }

  stats() {
    return { requests: 0, tokenFetches: 0, bytesUploaded: this.#bytesWritten };
  }

  async close(): Promise<void> {}

  /** Once per store: the first write checks the directory and fails at once, naming the path, if it cannot be one. */
  #init(): Promise<void> {
    this.#ready ??= this.#prepare();
    return this.#ready;
  }

  async #prepare(): Promise<void> {
    await makeDirectory(this.#dir, this.display);
    await makeDirectory(join(this.#dir, 'blobs'), this.display);
    await makeDirectory(join(this.#dir, 'blobs', 'sha256'), this.display);
    const marker = join(this.#dir, 'oci-layout');
    let text: string | undefined;
    try {
      text = await readFile(marker, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(`cannot read the OCI layout ${this.display}`, marker, error);
    }
    if (text === undefined) {
      await this.#writeAtomic(marker, Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
      return;
    }
    let version: unknown;
    try {
      version = (JSON.parse(text) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
    } catch {
      throw new ChartshipError('oci-layout file is not valid JSON', { file: marker, code: 'LAYOUT_INVALID' });
    }
    if (version !== '1.0.0') throw new ChartshipError(`unsupported image layout version ${JSON.stringify(version)}`, { file: marker, code: 'LAYOUT_INVALID' });
  }

  async #readIndex(): Promise<ImageIndex> {
    const file = join(this.#dir, 'index.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
      throw fileError(`cannot read the OCI layout ${this.display}`, file, error);
    }
    try {
      const index = JSON.parse(text) as ImageIndex;
      index.manifests ??= [];
      return index;
    } catch {
      throw new ChartshipError('index.json is not valid JSON', { file, code: 'LAYOUT_INVALID' });
    }
  }

  async #writeBlob(digest: string, bytes: Buffer): Promise<void> {
    const file = join(this.#dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
    const present = await stat(file).then((s) => s.size === bytes.length, () => false);
    if (present) return;
    await this.#writeAtomic(file, bytes);
    this.#bytesWritten += bytes.length;
  }

  /**
   * Readers never see half a file: write beside it, flush, then rename over it. `beforeCommit` runs just before the
   * rename (the index checks it still holds its lock).
   */
  async #writeAtomic(file: string, bytes: Buffer, beforeCommit?: () => Promise<void>): Promise<void> {
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw fileError(`cannot write to the OCI layout ${this.display}`, dirname(file), error);
    }
    try {
      await beforeCommit?.();
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      if (error instanceof ChartshipError) throw error;
      throw fileError(`cannot write to the OCI layout ${this.display}`, file, error);
    }
  }
}

function findEntry(index: ImageIndex, name: string): IndexEntry | undefined {
  return index.manifests.find((m) => m.annotations?.[REF_NAME] === name);
}

/**
 * One directory level at a time rather than `mkdir -p`: Node's recursive mkdir retries forever (at 100 % CPU) when
 * the file system answers ENOENT for a directory whose parent exists, as /proc does, so `oci-layout:/proc/self`
 * hung. Creating each level ourselves turns any refusal into an error that names the path.
 */
async function makeDirectory(dir: string, display: string): Promise<void> {
  const { missing } = await walkToExisting(dir, display);
  for (const path of missing) {
    try {
      await mkdir(path);
    } catch (error) {
      const isDir = (error as NodeJS.ErrnoException).code === 'EEXIST' && (await stat(path).then((s) => s.isDirectory(), () => false));
      if (!isDir) throw fileError(`cannot create the OCI layout ${display}`, path, error);
    }
  }
}

/** The nearest directory at or above `dir` that exists, and the levels below it still to make (outermost first). */
async function walkToExisting(dir: string, display: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = [];
  for (let path = dir; ; path = dirname(path)) {
    const found = await stat(path).then(
      (s) => (s.isDirectory() ? 'dir' : 'other'),
      (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? 'missing' : Promise.reject(fileError(`cannot use ${display} as an OCI layout`, path, error))),
    );
    if (found === 'dir') return { existing: path, missing };
    if (found === 'other') throw new ChartshipError(`cannot use ${display} as an OCI layout: ${path} is not a directory`, { file: path, code: 'FILE_UNWRITABLE' });
    missing.unshift(path);
    if (dirname(path) === path) return { existing: path, missing };
  }
}
