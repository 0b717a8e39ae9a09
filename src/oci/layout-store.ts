import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ChartshipError } from '../errors.js';
import type { Blob } from './artifact.js';
import { repositoryFor } from './reference.js';
import { OCI_INDEX, OCI_MANIFEST, sha256 } from './registry.js';
import type { ArtifactStore, StoredManifest } from './store.js';

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

/**
 * An `oci-layout:DIR` target (OCI image layout 1.0.0). Each chart is one index entry whose ref.name is
 * `<chart>:<tag>`, so one directory holds many charts and `skopeo inspect oci:DIR:<chart>:<tag>` finds them.
 */
export class LayoutStore implements ArtifactStore {
  readonly display: string;
  readonly #dir: string;
  #bytesWritten = 0;

  constructor(dir: string, cwd = process.cwd()) {
    if (!dir) throw new ChartshipError('oci-layout: needs a directory, e.g. oci-layout:./out', { code: 'TARGET_INVALID' });
    this.display = dir;
    this.#dir = resolve(cwd, dir);
  }

  repository(chartName: string): string {
    return repositoryFor({ host: '', namespace: '' }, chartName);
  }

  refFor(repository: string, tag: string): string {
    return `oci:${this.display}:${repository}:${tag}`;
  }

  async getManifest(repository: string, tag: string): Promise<StoredManifest | undefined> {
    const entry = (await this.#readIndex()).manifests.find((m) => m.annotations?.[REF_NAME] === `${repository}:${tag}`);
    if (!entry) return undefined;
    const bytes = await this.getBlob(repository, entry.digest);
    return { bytes, digest: entry.digest };
  }

  async putBlobs(_repository: string, blobs: Blob[]): Promise<void> {
    await this.#init();
    for (const blob of blobs) await this.#writeBlob(blob.digest, blob.bytes);
  }

  async putManifest(repository: string, tag: string, mediaType: string, bytes: Buffer): Promise<string> {
    await this.#init();
    const digest = sha256(bytes);
    await this.#writeBlob(digest, bytes);
    const index = await this.#readIndex();
    const name = `${repository}:${tag}`;
    // Replacing a tag replaces its entry; other charts' entries stay as they were.
    index.manifests = index.manifests.filter((m) => m.annotations?.[REF_NAME] !== name);
    index.manifests.push({ mediaType: mediaType || OCI_MANIFEST, digest, size: bytes.length, annotations: { [REF_NAME]: name } });
    await this.#writeAtomic(join(this.#dir, 'index.json'), Buffer.from(JSON.stringify(index)));
    return digest;
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

  async #init(): Promise<void> {
    await mkdir(join(this.#dir, 'blobs', 'sha256'), { recursive: true });
    const marker = join(this.#dir, 'oci-layout');
    try {
      const existing = JSON.parse(await readFile(marker, 'utf8')) as { imageLayoutVersion?: string };
      if (existing.imageLayoutVersion !== '1.0.0') {
        throw new ChartshipError(`unsupported image layout version ${JSON.stringify(existing.imageLayoutVersion)}`, { file: marker, code: 'LAYOUT_INVALID' });
      }
    } catch (error) {
      if (error instanceof ChartshipError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ChartshipError('oci-layout file is not valid JSON', { file: marker, code: 'LAYOUT_INVALID' });
      await writeFile(marker, '{"imageLayoutVersion":"1.0.0"}');
    }
  }

  async #readIndex(): Promise<ImageIndex> {
    const file = join(this.#dir, 'index.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
      throw error;
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

  /** Readers never see half a file: write beside it, then rename over it. */
  async #writeAtomic(file: string, bytes: Buffer): Promise<void> {
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, file);
  }
}
