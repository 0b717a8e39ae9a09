import type { SerializedBundle } from '@sigstore/bundle';
import type { Witness } from '@sigstore/sign';
import { ChartshipError } from '../../model/errors.js';
import type { SigstoreInstance } from './instance.js';
import { loadSigstore } from './libraries.js';
import { INTOTO_PAYLOAD_TYPE, type Statement } from './statement.js';

export interface SignOptions {
  instance: SigstoreInstance;
  /** The OIDC identity token Fulcio certifies (audience `sigstore`). */
  token: string;
  /** Per request to Fulcio, Rekor and the timestamp authority. */
  timeoutMs?: number;
}

/**
 * Signs an in-toto statement keylessly, as actions/attest does: an ephemeral key, a Fulcio certificate for the
 * token's identity, a DSSE envelope, and the instance's witnesses (the Rekor transparency log, a timestamp
 * authority). Returns the Sigstore bundle (v0.3) as JSON.
 */
export async function signStatement(statement: Statement, options: SignOptions): Promise<SerializedBundle> {
  const { instance } = options;
  const { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, bundleToJSON } = await loadSigstore();
  const timeout = options.timeoutMs ?? 30_000;
  // sigstore-js waits 1 s, then 2 s, then 4 s (promise-retry's defaults).
  const retry = { retries: 3, minTimeout: firstRetryWaitMs(1000) };
  const signer = new FulcioSigner({ identityProvider: { getToken: () => Promise.resolve(options.token) }, fulcioBaseURL: instance.fulcioUrl, timeout, retry });
  const witnesses: Witness[] = [];
  if (instance.rekorUrl) witnesses.push(new RekorWitness({ rekorBaseURL: instance.rekorUrl, fetchOnConflict: true, timeout, retry }));
  if (instance.tsaUrl) witnesses.push(new TSAWitness({ tsaBaseURL: instance.tsaUrl, timeout, retry }));
  try {
    const bundle = await new DSSEBundleBuilder({ signer, witnesses }).create({ data: Buffer.from(JSON.stringify(statement)), type: INTOTO_PAYLOAD_TYPE });
    return bundleToJSON(bundle);
  } catch (error) {
    throw new ChartshipError(`signing with Sigstore (${instance.name}, ${instance.fulcioUrl}) failed: ${describeSigstoreError(error)}`, {
      code: 'ATTEST_FAILED',
      hint: 'the chart is pushed; run again to attest it (charts already pushed are not pushed twice)',
    });
  }
}

/**
 * For chartship's own tests only, never for users: CHARTSHIP_TEST_RETRY_WAIT_MS (whole ms) replaces `normal`, the
 * first wait before another attempt at a Sigstore service, its TUF repository or the Actions token endpoint; later
 * waits grow from it as ever. Their tests serve the faults on loopback: the attempts are what they check, not the
 * seconds between them.
 */
export function firstRetryWaitMs(normal: number): number {
  const set = process.env['CHARTSHIP_TEST_RETRY_WAIT_MS'];
  return set !== undefined && /^\d+$/.test(set) ? Number(set) : normal;
}

/** @sigstore errors carry the HTTP failure in `cause`; show it, never the token. */
export function describeSigstoreError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const message = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
    if (message && !parts.includes(message)) parts.push(message);
  }
  return parts.join(': ').replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '***');
}
