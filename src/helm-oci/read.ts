import { compareHelmVersions, parseHelmVersion } from '../model/helm-semver.js';
import { ConstraintError, highestMatch, parseConstraint } from '../charts/version-range.js';
import { ChartshipError } from '../model/errors.js';
import { HELM_CHART, HELM_CHART_LEGACY, HELM_CONFIG, HELM_PROV } from './artifact.js';
import { tagForVersion, versionForTag } from './tags.js';
import type { ArtifactStore } from '../oci/store.js';
import { checkBlob } from './target.js';
import type { ChartReference } from './chart-ref.js';

/** A registry store reads a blob no further than the size its descriptor declares. */
type Store = ArtifactStore & { getBlob(repository: string, digest: string, size?: number): Promise<Buffer> };

/** What `--version` (or the reference) picked: the reference to fetch and the chart version it stands for. */
export interface ChosenVersion {
  /** A tag (`_` for `+`) or `sha256:…`. */
  reference: string;
  /** The version as helm names the file (`+` form); undefined for a digest reference until the chart is read. */
  version?: string;
}

/**
 * The version `helm pull` fetches: the reference's own tag or digest; a `--version` that reads as a version is taken
 * as the tag without looking further (helm does not list tags then, so `1.2` means the tag `1.2`); otherwise the
 * highest tag the constraint accepts, tags read back as versions (`_` → `+`, strict SemVer only), and no
 * `--version` at all means `*` (the highest release, prereleases excluded).
 */
export async function chooseVersion(store: ArtifactStore, repository: string, ref: ChartReference, version: string | undefined): Promise<ChosenVersion> {
  const shown = `${ref.location.host}/${repository}`;
  if (ref.tag !== undefined) {
    // The version a tag stands for (`_` read as `+`) names the file, as the .prov's `files:` entry names it.
    const tagged = versionForTag(ref.tag) ?? ref.tag;
    if (version && version !== ref.tag && version !== tagged) {
      throw new ChartshipError(`chart reference and version mismatch: ${version} is not ${ref.tag}`, { code: 'VERSION_MISMATCH', hint: 'give the version in the reference or with --version, not both' });
    }
    return { reference: ref.digest ?? tagForVersion(ref.tag), version: tagged };
  }
  if (ref.digest) return { reference: ref.digest };
  if (version && parseHelmVersion(version)) return { reference: tagForVersion(version), version };

  const versions = (await store.listTags(repository)).map((tag) => versionForTag(tag)).filter((v): v is string => v !== undefined);
  if (versions.length === 0) {
    throw new ChartshipError(`${shown} has no chart versions`, { code: 'MANIFEST_UNKNOWN', hint: 'check the reference: tags are chart versions, written with _ for +' });
  }
  if (version && versions.includes(version)) return { reference: tagForVersion(version), version };
  let constraint;
  try {
    constraint = parseConstraint(version || '*');
  } catch (error) {
    if (error instanceof ConstraintError) throw new ChartshipError(`--version ${JSON.stringify(version)}: ${error.message}`, { code: 'VERSION_INVALID', hint: 'write a version (1.2.3) or a range (^1.2, ~1.2.0, >=1.0.0 <2.0.0)' });
    throw error;
  }
  const chosen = highestMatch(versions, constraint);
  if (chosen === undefined) {
    const newest = [...versions].sort((a, b) => compareHelmVersions(parseHelmVersion(b)!, parseHelmVersion(a)!)).slice(0, 10);
    throw new ChartshipError(`no version of ${shown} matches ${JSON.stringify(version || '*')}`, {
      code: 'VERSION_NOT_FOUND',
      hint: `the newest are ${newest.join(', ')}${version ? '' : ' (without --version only releases count: pass --version with a prerelease range, e.g. >=0.0.0-0)'}`,
    });
  }
  return { reference: tagForVersion(chosen), version: chosen };
}

/** A chart artifact read back from a store, every blob checked against its descriptor's digest and size. */
export interface ReadChart {
  /** `host/ns/name:tag` (or `@sha256:…`), as helm prints after `Pulled: `. */
  ref: string;
  /** The manifest's digest. */
  digest: string;
  config: Buffer;
  archive: Buffer;
  prov?: Buffer;
  /** The chart layer has the type `helm chart save` wrote before helm 3.7. */
  legacy: boolean;
}

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
  size?: unknown;
}

/**
 * Reads the chart `reference` (tag or digest) of `repository` the way helm's registry client pulls it: a manifest with
 * a helm config and one chart layer (today's type or the legacy `application/tar+gzip`), and the provenance layer
 * when there is one.
 */
export async function readChart(store: Store, repository: string, reference: string): Promise<ReadChart> {
  const tagged = reference.startsWith('sha256:') ? `@${reference}` : `:${reference}`;
  const ref = `${store.refFor(repository, '').replace(/:$/, '')}${tagged}`;
  const stored = await store.getManifest(repository, reference, false);
  if (!stored) throw new ChartshipError(`${ref}: not found`, { code: 'MANIFEST_UNKNOWN', hint: 'check the reference and --version: tags are chart versions, written with _ for +' });
  const notChart = (why: string) => new ChartshipError(`${ref} is not a Helm chart: ${why}`, { code: 'NOT_A_CHART' });
  let manifest: { config?: Descriptor; layers?: Descriptor[] };
  try {
    manifest = JSON.parse(stored.bytes.toString('utf8')) as typeof manifest;
  } catch {
    throw notChart('its manifest is not JSON');
  }
  const config = manifest.config;
  if (config?.mediaType !== HELM_CONFIG) throw notChart(`its config is ${JSON.stringify(config?.mediaType ?? null)}, not ${HELM_CONFIG}`);
  const layers = Array.isArray(manifest.layers) ? manifest.layers : [];
  const chart = layers.find((l) => l.mediaType === HELM_CHART) ?? layers.find((l) => l.mediaType === HELM_CHART_LEGACY);
  if (!chart) throw notChart(`it has no layer of type ${HELM_CHART}`);
  const prov = layers.find((l) => l.mediaType === HELM_PROV);
  const fetch = async (what: string, d: Descriptor): Promise<Buffer> => {
    if (typeof d.digest !== 'string' || typeof d.size !== 'number') throw notChart(`its ${what} descriptor has no digest or size`);
    return checkBlob(ref, d.digest, d.size, await store.getBlob(repository, d.digest, d.size));
  };
  const [configBytes, archive, provBytes] = await Promise.all([fetch('config', config), fetch('chart layer', chart), prov ? fetch('provenance layer', prov) : undefined]);
  return { ref, digest: stored.digest, config: configBytes, archive, ...(provBytes ? { prov: provBytes } : {}), legacy: chart.mediaType === HELM_CHART_LEGACY };
}
