import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { parseChartReference } from '../helm-oci/chart-ref.js';
import { chooseVersion, readChart } from '../helm-oci/read.js';
import { HELM_CHART, HELM_CHART_LEGACY } from '../helm-oci/index.js';
import { openStore, type TargetOptions } from '../oci/index.js';
import { writeAtomically } from '../package/index.js';
import { readChartArchive } from '../charts/archive.js';
import { verifyChart, type Verification } from '../sign/index.js';
import type { Log } from './log.js';

export interface PullOptions {
  /** `oci://HOST[:PORT]/NS/name[:tag][@sha256:…]`. */
  ref: string;
  /** A version or a range (helm's reading); none: the highest release. */
  version?: string;
  /** Where the archive goes (created when missing). */
  destination: string;
  /** Also write `<archive>.prov` (always with `verify`). */
  prov?: boolean;
  /** Check the .prov against these public keys before anything is written. */
  verify?: { keyring: Buffer; keyringFile: string };
  /** Expand the chart into `untarDir/<name>` instead of keeping the archive. */
  untar?: boolean;
  /** Relative to `destination` (default `.`). */
  untarDir?: string;
  registry?: TargetOptions;
}

export interface PullOutcome {
  /** `host/ns/name:tag` as helm prints after `Pulled: `. */
  ref: string;
  digest: string;
  name: string;
  version: string;
  /** What was written: the archive and its .prov, or the expanded chart's directory. */
  written: string[];
  legacy: boolean;
  verification?: Verification;
}

/**
 * `helm pull oci://…`: picks the version as helm does, reads the artifact back with every blob checked, verifies
 * the provenance when asked (before writing: a chart that fails verification leaves nothing behind), then writes
 * `<name>-<version>.tgz` (and its .prov) or expands the chart into a directory named after it.
 */
export async function pullChart(options: PullOptions, log: Log): Promise<PullOutcome> {
  const ref = parseChartReference(options.ref);
  const store = openStore(ref.target, options.registry);
  try {
    const repository = store.repository(ref.name);
    const chosen = await chooseVersion(store, repository, ref, options.version);
    const read = await readChart(store, repository, chosen.reference);
    if (read.legacy) {
      log.warning(`${read.ref} stores the chart as ${HELM_CHART_LEGACY}, the layer type of helm < 3.7 (helm chart save/push); push it again with chartship or helm ≥ 3.8 to store it as ${HELM_CHART}`);
    }
    if (options.prov && !options.verify && !read.prov) log.warning(`${read.ref} has no provenance layer: no .prov written (the chart is not signed)`);
    const label = `${read.ref} (chart layer)`;
    const chart = options.untar || chosen.version === undefined ? await readChartArchive(read.archive, label) : undefined;
    const version = chosen.version ?? chart!.metadata.version;
    const fileName = `${ref.name}-${version}.tgz`;
    let verification: Verification | undefined;
    if (options.verify) {
      if (!read.prov) {
        throw new ChartshipError(`${read.ref} is not signed: it has no provenance layer to verify`, { code: 'PROV_MISSING', hint: 'pull without --verify, or ask the publisher to sign it' });
      }
      verification = await verifyChart({ archive: read.archive, fileName, prov: read.prov.toString('utf8'), keyring: options.verify.keyring, provFile: `${read.ref} (provenance layer)`, keyringFile: options.verify.keyringFile });
    }
    const destination = resolve(options.destination);
    const written = options.untar
      ? [await expand(chart!.files, resolve(destination, options.untarDir ?? '.'), chart!.metadata.name)]
      : [
          await writeAtomically(destination, fileName, read.archive),
          ...(read.prov && (options.prov || options.verify) ? [await writeAtomically(destination, `${fileName}.prov`, read.prov)] : []),
        ];
    return { ref: read.ref, digest: read.digest, name: ref.name, version, written, legacy: read.legacy, ...(verification ? { verification } : {}) };
  } finally {
    await store.close();
  }
}

/** helm's `--untar`: refuses an existing `<dir>/<name>`, then writes every file of the archive below it. */
async function expand(files: Map<string, Buffer>, dir: string, name: string): Promise<string> {
  const top = join(dir, name);
  const exists = await lstat(top).then(
    () => true,
    () => false,
  );
  if (exists) throw new ChartshipError(`failed to untar: a file or directory with the name ${top} already exists`, { file: top, code: 'DESTINATION_EXISTS', hint: 'remove it or pass another --untardir' });
  // readChartArchive refused absolute paths and `..`, so every file lands below `top`.
  for (const [path, data] of files) {
    const out = join(top, path);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, data, { mode: 0o644 });
  }
  return top;
}
