/**
 * What a test registry really holds, read from docker-registry's filesystem storage rather than through its API
 * (which a fault proxy or a bug could misreport):
 *
 *   docker/registry/v2/blobs/sha256/ab/abcd…/data                 blob bytes
 *   docker/registry/v2/repositories/NAME/_manifests/tags/TAG/current/link   the digest TAG points to
 *   docker/registry/v2/repositories/NAME/_manifests/revisions/sha256/HEX/link   manifests of NAME
 *   docker/registry/v2/repositories/NAME/_layers/sha256/HEX/link  blobs linked into NAME
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface StorageReport {
  /** `repository:tag` → manifest digest. */
  tags: Map<string, string>;
  /** Every manifest that names a blob the registry lacks (or has not linked into the repository). */
  problems: string[];
}

const v2 = (storageDir: string) => join(storageDir, 'docker', 'registry', 'v2');

function blobPath(storageDir: string, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return join(v2(storageDir), 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

/** Directories named `_manifests` below `repositories`: their parents are the repositories. */
function repositories(root: string): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (!statSync(path).isDirectory()) continue;
      if (entry === '_manifests') found.push(dir);
      else if (!entry.startsWith('_')) walk(path);
    }
  };
  walk(root);
  return found;
}

export function readStorage(storageDir: string): StorageReport {
  const reposRoot = join(v2(storageDir), 'repositories');
  const tags = new Map<string, string>();
  const problems: string[] = [];
  for (const repoDir of repositories(reposRoot)) {
    const name = relative(reposRoot, repoDir);
    const tagsDir = join(repoDir, '_manifests', 'tags');
    for (const tag of existsSync(tagsDir) ? readdirSync(tagsDir) : []) {
      const link = join(tagsDir, tag, 'current', 'link');
      if (existsSync(link)) tags.set(`${name}:${tag}`, readFileSync(link, 'utf8').trim());
    }
    const revisions = join(repoDir, '_manifests', 'revisions', 'sha256');
    for (const hex of existsSync(revisions) ? readdirSync(revisions) : []) {
      const digest = `sha256:${hex}`;
      const data = blobPath(storageDir, digest);
      if (!existsSync(data)) {
        problems.push(`${name}@${digest}: the manifest's own bytes are missing`);
        continue;
      }
      let manifest: { config?: { digest?: string }; layers?: { digest?: string }[] };
      try {
        manifest = JSON.parse(readFileSync(data, 'utf8')) as typeof manifest;
      } catch {
        problems.push(`${name}@${digest}: not JSON`);
        continue;
      }
      for (const ref of [manifest.config?.digest, ...(manifest.layers ?? []).map((l) => l.digest)]) {
        if (!ref) continue;
        if (!existsSync(blobPath(storageDir, ref))) problems.push(`${name}@${digest} references ${ref}, which the registry does not have`);
        else if (!existsSync(join(repoDir, '_layers', 'sha256', ref.replace(/^sha256:/, ''), 'link'))) problems.push(`${name}@${digest} references ${ref}, which is not linked into ${name}`);
      }
    }
  }
  return { tags, problems };
}
