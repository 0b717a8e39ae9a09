/** Chart archives built in memory (tar headers from the tar package, gzip from node:zlib), including broken ones. */
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';
import { openTarget, type ChartTarget } from '../../src/helm-oci/index.js';
import type { ReadReferrer } from '../../src/oci/referrers.js';

export interface TarEntrySpec extends HeaderData {
  path: string;
  data?: Buffer | string;
}

/** A tar stream of exactly these entries (in order) plus the two zero blocks. */
export function tarBytes(entries: TarEntrySpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { data, ...spec } of entries) {
    const body = data === undefined ? Buffer.alloc(0) : Buffer.from(data);
    const header = new Header({ mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), type: 'File', ...spec, size: spec.size ?? body.length });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function tgz(entries: TarEntrySpec[]): Buffer {
  return gzipSync(tarBytes(entries));
}

export interface ChartSpec {
  name: string;
  version: string;
  /** Extra Chart.yaml lines. */
  extra?: string;
  /** Extra files, relative to the chart directory. */
  files?: Record<string, string>;
  mtime?: Date;
}

/** A minimal valid chart .tgz (top directory = chart name). */
export function chartArchive(spec: ChartSpec): Buffer {
  const mtime = spec.mtime ?? new Date('2024-05-01T12:00:00Z');
  const chartYaml = `apiVersion: v2\nname: ${spec.name}\nversion: ${spec.version}\ndescription: A test chart\ntype: application\n${spec.extra ?? ''}`;
  const files: Record<string, string> = {
    'Chart.yaml': chartYaml,
    'values.yaml': 'replicaCount: 1\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
    ...spec.files,
  };
  return tgz(Object.entries(files).map(([path, data]) => ({ path: `${spec.name}/${path}`, data, mtime })));
}

/**
 * Pushes minimal charts of these names and versions to `target` (as another repository, or an earlier run, would have
 * published them): a chart a target holds at some version is not published for the first time by a run whose range
 * did not change it.
 */
export async function publishedElsewhere(target: string, charts: { name: string; version: string }[], options: { plainHttp?: boolean } = {}): Promise<void> {
  const client = openTarget(target, { ...options, env: { HOME: '/nonexistent' } });
  try {
    for (const chart of charts) await client.pushChart({ archive: chartArchive(chart) });
  } finally {
    await client.close();
  }
}

/** The referrers of chart manifest `digest` of one artifact type, each read and checked against its digest. */
export async function readReferrers(target: ChartTarget, name: string, digest: string, artifactType: string): Promise<ReadReferrer[]> {
  const listed = await target.listReferrers(name, digest, artifactType);
  return Promise.all(listed.map((descriptor) => target.readReferrer(name, descriptor)));
}
