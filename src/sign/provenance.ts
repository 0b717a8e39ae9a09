import { createHash } from 'node:crypto';
import { isMap, isScalar, parseDocument } from 'yaml';
import { parseChartYaml } from '../charts/chartfile.js';
import { marshalGoYaml } from '../charts/goyaml.js';
import { helmChartYaml } from '../charts/helm-yaml.js';
import type { ChartMetadata } from '../model/metadata.js';
import { ChartshipError } from '../model/errors.js';

/**
 * The signed text of a .prov, byte for byte what helm's provenance.messageBlock writes:
 * `yaml.Marshal(metadata)`, then `\n...\n` (YAML's document end: `---` is not allowed in a clearsigned body),
 * then `yaml.Marshal({files: {<fileName>: sha256:<hex>}})`. helm takes the metadata from the archive it just wrote,
 * so the first part is the archive's Chart.yaml, byte for byte.
 */
export function provenanceBody(metadata: ChartMetadata, fileName: string, archive: Buffer): string {
  const files = { files: { [fileName]: `sha256:${sha256Hex(archive)}` } };
  return `${helmChartYaml(metadata)}\n...\n${marshalGoYaml(files)}`;
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface ParsedProvenance {
  metadata: ChartMetadata;
  /** File name → `sha256:<hex>`, as listed under `files:`. */
  files: Map<string, string>;
}

/** Reads a signed body back the way helm's ParseMessageBlock does: split at `\n...\n`, metadata, then sums. */
export function parseProvenanceBody(text: string, label: string): ParsedProvenance {
  const parts = text.split('\n...\n');
  if (parts.length < 2) {
    throw new ChartshipError('the signed text has no "..." line between the chart metadata and the file hashes', {
      file: label,
      code: 'PROV_INVALID',
    });
  }
  const metadata = parseChartYaml(parts[0] as string, label).metadata;
  const sums = parseDocument(parts[1] as string, { prettyErrors: false });
  const filesNode = isMap(sums.contents) ? sums.contents.get('files', true) : undefined;
  if (sums.errors.length > 0 || !isMap(filesNode)) {
    throw new ChartshipError('the signed text has no "files:" mapping of archive names to hashes', { file: label, code: 'PROV_INVALID' });
  }
  const files = new Map<string, string>();
  for (const pair of filesNode.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const value = isScalar(pair.value) ? pair.value.value : pair.value;
    if (typeof key === 'string' && typeof value === 'string') files.set(key, value);
  }
  return { metadata, files };
}
