import type { ChartMetadata } from '../model/metadata.js';
import type { Signer } from './keys.js';
import { provenanceBody } from './provenance.js';

export { loadSigningKey, readKeyring, type Signer } from './keys.js';
export { sanitize } from '../charts/helm-yaml.js';
export { provenanceBody, parseProvenanceBody } from './provenance.js';
export { checkProvenance, verifyChart, type Verification } from './verify.js';

/** The .prov text for a packaged chart, as `helm package --sign` writes it. */
export async function signChart(signer: Signer, chart: { metadata: ChartMetadata; fileName: string; archive: Buffer }): Promise<string> {
  return signer.sign(provenanceBody(chart.metadata, chart.fileName, chart.archive));
}
