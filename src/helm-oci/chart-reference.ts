import { ChartshipError } from '../model/errors.js';
import { parseOciTarget } from '../oci/reference.js';
import { versionForTag } from './tags.js';

export interface ChartReference {
  /** `oci://host[:port][/namespace]`: where the chart's repository lives. */
  target: string;
  name: string;
  version: string;
}

/** `oci://HOST[:PORT]/NS/CHART:VERSION` (the form `helm pull` takes, with the version as the tag). */
export function parseChartReference(reference: string): ChartReference {
  const match = /^(oci:\/\/[^/]+(?:\/.+)?)\/([^/:@]+):([^/:@]+)$/.exec(reference);
  const version = match ? versionForTag(match[3]!) : undefined;
  if (!match || !version) {
    throw new ChartshipError(`${JSON.stringify(reference)} is not a chart reference`, {
      code: 'REFERENCE_INVALID',
      hint: 'write oci://HOST[:PORT]/NAMESPACE/CHART:VERSION, e.g. oci://ghcr.io/acme/charts/web:1.2.0',
    });
  }
  parseOciTarget(match[1]!);
  return { target: match[1]!, name: match[2]!, version };
}
