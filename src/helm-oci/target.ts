import { ChartshipError } from '../model/errors.js';
import { summarizeChartArchive } from '../charts/written-archives.js';
import { buildChartArtifact, HELM_CHART, HELM_CHART_LEGACY, HELM_CONFIG, HELM_PROV } from './artifact.js';
import { anotherRunPushed } from '../oci/errors.js';
import { chartNameProblem } from '../oci/reference.js';
import { attachReferrer, buildReferrer, listReferrers, readReferrer, type AttachResult, type Descriptor, type ReadReferrer } from '../oci/referrers.js';
import { tagForVersion, versionForTag, type TagVersions } from './tags.js';
import { OCI_MANIFEST, sha256 } from '../oci/registry.js';
import type { ArtifactStore, StoredManifest } from '../oci/store.js';

export interface PublishedChart {
  digest: string;
  /** Manifest size in bytes (a descriptor of it needs it). */
  size: number;
  configDigest: string;
  chartDigest: string;
  provDigest?: string;
  /** The manifest's `org.opencontainers.image.created`: when the archive was dated (its chart's last commit, for chartship). */
  created?: string;
}

export interface PushResult {
  /** `host:port/ns/name:tag` exactly as helm prints after `Pushed: ` (`oci:DIR:name:tag` for a layout). */
  ref: string;
  /** Manifest digest. */
  digest: string;
  /** Manifest size in bytes. */
  size: number;
  configDigest: string;
  chartDigest: string;
  provDigest?: string;
  status: 'pushed' | 'unchanged' | 'overwritten';
}

/** An artifact to store beside a chart version, e.g. a Sigstore bundle: one layer, listed as a referrer. */
export interface ChartReferrer {
  artifactType: string;
  mediaType: string;
  bytes: Buffer;
  annotations?: Record<string, string>;
}

/** A chart archive to push, with its provenance file when signed. */
export interface ChartToPush {
  archive: Buffer;
  prov?: Buffer;
  /** Names the archive in errors (its path). */
  label?: string;
  /**
   * The manifest's `created` annotation as helm writes it (helm push: the archive file's modification time, RFC 3339
   * in the local zone); by default the archive's newest entry time, which a reproducible archive makes its source date.
   */
  created?: string;
}

export interface ChartTarget {
  /** As given. */
  readonly spec: string;
  /** Ref prefix as helm prints it: `host:port/ns` (or the layout dir). */
  readonly display: string;
  /** `label` names the archive in errors (its path). */
  pushChart(chart: ChartToPush, options?: { overwrite?: boolean }): Promise<PushResult>;
  /**
   * Fails, naming why, when a push of chart `name` would be refused (unreachable, no credentials, no push rights,
   * no such repository); stores nothing.
   */
  checkPush(name: string): Promise<void>;
  /** Published state of name:version, undefined if the tag does not exist. */
  inspectChart(name: string, version: string): Promise<PublishedChart | undefined>;
  /** Chart versions present (tags with `_` turned back into `+`): strict SemVer only, unless `held` (tags.ts). */
  listVersions(name: string, which?: TagVersions): Promise<string[]>;
  pullChart(name: string, version: string): Promise<{ archive: Buffer; prov?: Buffer; digest: string }>;
  /** Stores `artifact` as a referrer of the chart manifest `subject` (the referrers API, else the referrers tag). */
  attach(name: string, subject: { digest: string; size: number }, artifact: ChartReferrer): Promise<AttachResult>;
  /** What the registry lists as referrers of `digest` of one artifact type, unread (a listing may name what is gone). */
  listReferrers(name: string, digest: string, artifactType: string): Promise<Descriptor[]>;
  /** One listed referrer, read and checked against its digest. */
  readReferrer(name: string, descriptor: Descriptor): Promise<ReadReferrer>;
  /** `host/ns/name` (a layout: `oci:DIR:name`), how a chart repository is named without a tag. */
  repositoryRef(name: string): string;
  /** Why chart `name` can have no repository here (not lowercase, too long), or undefined when it can. */
  repositoryProblem(name: string): string | undefined;
  stats(): { requests: number; tokenFetches: number; bytesUploaded: number };
  close(): Promise<void>;
}

interface ManifestJson {
  config?: { mediaType?: string; digest?: string };
  layers?: { mediaType?: string; digest?: string; size?: number }[];
  annotations?: Record<string, unknown>;
}

/** What a stored manifest says about a chart; undefined when it is not a helm chart manifest. */
export function describeManifest(stored: StoredManifest): PublishedChart | undefined {
  let manifest: ManifestJson;
  try {
    manifest = JSON.parse(stored.bytes.toString('utf8')) as ManifestJson;
  } catch {
    return undefined;
  }
  const chart = manifest.layers?.find((l) => l.mediaType === HELM_CHART || l.mediaType === HELM_CHART_LEGACY);
  if (manifest.config?.mediaType !== HELM_CONFIG || !manifest.config.digest || !chart?.digest) return undefined;
  const prov = manifest.layers?.find((l) => l.mediaType === HELM_PROV);
  const created = manifest.annotations?.['org.opencontainers.image.created'];
  return {
    digest: stored.digest,
    size: stored.bytes.length,
    configDigest: manifest.config.digest,
    chartDigest: chart.digest,
    ...(prov?.digest ? { provDigest: prov.digest } : {}),
    ...(typeof created === 'string' ? { created } : {}),
  };
}

/** A store that reads a blob no further than the size its descriptor declares (registries). */
interface SizedBlobs {
  getBlob(repository: string, digest: string, size?: number): Promise<Buffer>;
}

/** A store that can tell, without writing, whether a push would be accepted (registries; a layout checks itself when opened). */
interface PushProbe {
  probePush(repository: string): Promise<void>;
}

/**
 * Push, inspect, list and pull charts on any ArtifactStore.
 *
 * "Same content" means the same config and chart layer: the manifest digest cannot decide it, since `created`
 * differs per package. A signature is a statement about those bytes, and signatures carry their own timestamps, so
 * a new .prov for the same chart would make every signed rerun look like a change: the published signature stands
 * (the result reports its digest), and only `overwrite` replaces it.
 */
export class StoreTarget implements ChartTarget {
  readonly spec: string;
  readonly display: string;
  readonly #store: ArtifactStore;
  /** The tags of each repository this target listed (the plan lists every chart it releases). */
  readonly #listed = new Map<string, Set<string>>();
  /**
   * What inspectChart read, by `repository:tag` (null: no such tag): a push of that tag takes it as its first look (a
   * request saved per chart; migrate inspects every version it then copies).
   */
  readonly #inspected = new Map<string, StoredManifest | null>();

  constructor(spec: string, store: ArtifactStore) {
    this.spec = spec;
    this.#store = store;
    this.display = store.display;
  }

  repositoryProblem(name: string): string | undefined {
    try {
      this.#store.repository(name);
      return undefined;
    } catch (error) {
      if (!(error instanceof ChartshipError)) throw error;
      return error.hint ? `${error.message} (${error.hint})` : error.message;
    }
  }

  async pushChart(chart: ChartToPush, options: { overwrite?: boolean } = {}): Promise<PushResult> {
    // Validate everything before the first request: a bad archive uploads nothing (one this run packaged is known).
    const label = chart.label ?? 'chart archive';
    const read = await summarizeChartArchive(chart.archive, label);
    const { name, version } = read.metadata;
    // helm accepts any chart name in an archive (subcharts too); only a pushed chart must make a repository name.
    const problem = chartNameProblem(name);
    if (problem) {
      throw new ChartshipError(`chart name ${JSON.stringify(name)} cannot be an OCI repository name`, {
        file: `${label}:${read.top}/Chart.yaml`,
        field: 'name',
        hint: problem,
        code: 'REPOSITORY_INVALID',
      });
    }
    const repository = this.#store.repository(name);
    const tag = tagForVersion(version);
    const artifact = buildChartArtifact({ archive: chart.archive, prov: chart.prov, metadata: read.metadata, created: chart.created ?? read.newestMtime });
    const ref = this.#store.refFor(repository, tag);
    const digests = { configDigest: artifact.config.digest, chartDigest: artifact.chart.digest, ...(artifact.prov ? { provDigest: artifact.prov.digest } : {}) };

    // A tag this run's listing did not hold (a new version, as the plan found it) is not asked for again: the read
    // after the upload below still sees a push another run made since, so this only saves a request per chart.
    const listed = this.#listed.get(repository);
    // The plan may have just read the tag to compare it (inspectChart): that is as fresh as a first look needs to be,
    // since the read after the upload below still catches a push made since.
    const inspected = this.#inspected.get(`${repository}:${tag}`);
    this.#inspected.delete(`${repository}:${tag}`);
    const existing = (listed && !listed.has(tag)) || inspected === null ? undefined : (inspected ?? (await this.#store.getManifest(repository, tag, true)));
    let known = new Set<string>();
    if (existing) {
      const published = describeManifest(existing);
      const sameChart = published?.configDigest === artifact.config.digest && published.chartDigest === artifact.chart.digest;
      if (sameChart && (!options.overwrite || published.provDigest === artifact.prov?.digest)) {
        const { provDigest: _ours, ...chartDigests } = digests;
        return { ref, digest: existing.digest, size: existing.bytes.length, ...chartDigests, ...(published.provDigest ? { provDigest: published.provDigest } : {}), status: 'unchanged' };
      }
      if (!options.overwrite) {
        throw new ChartshipError(`${ref} already exists with different content (${existing.digest})`, {
          code: 'TAG_EXISTS',
          hint: 'a published chart version should never change: bump the version, or pass --overwrite to replace it',
        });
      }
      // Blobs the old manifest references are in the repository already.
      known = new Set(referencedDigests(existing));
    }
    await this.#store.putBlobs(repository, artifact.blobs.filter((b) => !known.has(b.digest)));
    // Uploading takes a while: another run may have written the tag since we looked. Its content then stands.
    const now = await this.#store.getManifest(repository, tag, true);
    if (now && now.digest !== existing?.digest) {
      const published = describeManifest(now);
      if (published?.configDigest !== artifact.config.digest || published.chartDigest !== artifact.chart.digest) throw anotherRunPushed(ref, now.digest);
      const { provDigest: _ours, ...chartDigests } = digests;
      return { ref, digest: now.digest, size: now.bytes.length, ...chartDigests, ...(published.provDigest ? { provDigest: published.provDigest } : {}), status: 'unchanged' };
    }
    const digest = await this.#store.putManifest(repository, tag, OCI_MANIFEST, artifact.manifest);
    // A second push of this chart in the run (another .prov) must find the tag, not trust the listing from before.
    listed?.add(tag);
    return { ref, digest, size: artifact.manifest.length, ...digests, status: existing ? 'overwritten' : 'pushed' };
  }

  async checkPush(name: string): Promise<void> {
    const store = this.#store as ArtifactStore & Partial<PushProbe>;
    await store.probePush?.(this.#store.repository(name));
  }

  async inspectChart(name: string, version: string): Promise<PublishedChart | undefined> {
    const repository = this.#store.repository(name);
    const stored = await this.#store.getManifest(repository, tagForVersion(version), false);
    this.#inspected.set(`${repository}:${tagForVersion(version)}`, stored ?? null);
    if (!stored) return undefined;
    const published = describeManifest(stored);
    if (!published) {
      throw new ChartshipError(`${this.#store.refFor(this.#store.repository(name), tagForVersion(version))} is not a Helm chart`, { code: 'NOT_A_CHART' });
    }
    return published;
  }

  async listVersions(name: string, which: TagVersions = 'resolvable'): Promise<string[]> {
    const repository = this.#store.repository(name);
    const tags = await this.#store.listTags(repository);
    this.#listed.set(repository, new Set(tags));
    return tags.map((tag) => versionForTag(tag, which)).filter((v): v is string => v !== undefined);
  }

  async pullChart(name: string, version: string): Promise<{ archive: Buffer; prov?: Buffer; digest: string }> {
    const repository = this.#store.repository(name);
    const tag = tagForVersion(version);
    const stored = await this.#store.getManifest(repository, tag, false);
    if (!stored) throw new ChartshipError(`${this.#store.refFor(repository, tag)} not found`, { code: 'MANIFEST_UNKNOWN' });
    const published = describeManifest(stored);
    if (!published) throw new ChartshipError(`${this.#store.refFor(repository, tag)} is not a Helm chart`, { code: 'NOT_A_CHART' });
    const sizes = layerSizes(stored);
    // A registry stops reading at the declared size; every store's answer is checked against it and the digest.
    const store = this.#store as ArtifactStore & SizedBlobs;
    const fetch = async (digest: string) => checkBlob(this.#store.refFor(repository, tag), digest, sizes.get(digest), await store.getBlob(repository, digest, sizes.get(digest)));
    const [archive, prov] = await Promise.all([fetch(published.chartDigest), published.provDigest ? fetch(published.provDigest) : undefined]);
    return { archive, ...(prov ? { prov } : {}), digest: stored.digest };
  }

  async attach(name: string, subject: { digest: string; size: number }, artifact: ChartReferrer): Promise<AttachResult> {
    const referrer = buildReferrer({
      subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.size },
      artifactType: artifact.artifactType,
      layer: { mediaType: artifact.mediaType, bytes: artifact.bytes },
      annotations: artifact.annotations,
    });
    return attachReferrer(this.#store, this.#store.repository(name), referrer);
  }

  listReferrers(name: string, digest: string, artifactType: string): Promise<Descriptor[]> {
    return listReferrers(this.#store, this.#store.repository(name), digest, artifactType);
  }

  readReferrer(name: string, descriptor: Descriptor): Promise<ReadReferrer> {
    return readReferrer(this.#store, this.#store.repository(name), descriptor);
  }

  repositoryRef(name: string): string {
    const ref = this.#store.refFor(this.#store.repository(name), 'x');
    return ref.slice(0, -':x'.length);
  }

  stats() {
    return this.#store.stats();
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}

/** The size each layer's descriptor declares. */
function layerSizes(stored: StoredManifest): Map<string, number> {
  try {
    const manifest = JSON.parse(stored.bytes.toString('utf8')) as ManifestJson;
    return new Map((manifest.layers ?? []).flatMap((l) => (typeof l.digest === 'string' && typeof l.size === 'number' ? [[l.digest, l.size] as const] : [])));
  } catch {
    return new Map();
  }
}

/** A pulled layer must be what its descriptor declares, whichever store it came from. */
export function checkBlob(ref: string, digest: string, size: number | undefined, bytes: Buffer): Buffer {
  if (size !== undefined && bytes.length !== size) {
    throw new ChartshipError(`${ref}: layer ${digest} is ${bytes.length} bytes, its descriptor says ${size}`, { code: 'SIZE_MISMATCH' });
  }
  if (digest.startsWith('sha256:') && sha256(bytes) !== digest) throw new ChartshipError(`${ref}: layer ${digest} does not match its digest`, { code: 'DIGEST_MISMATCH' });
  return bytes;
}

function referencedDigests(stored: StoredManifest): string[] {
  try {
    const manifest = JSON.parse(stored.bytes.toString('utf8')) as ManifestJson;
    return [manifest.config?.digest, ...(manifest.layers ?? []).map((l) => l.digest)].filter((d): d is string => typeof d === 'string');
  } catch {
    return [];
  }
}
