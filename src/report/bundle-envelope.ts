/** A Sigstore bundle's DSSE envelope, as JSON carries it (base64 fields), read without trusting its shape. */
interface Envelope {
  payload: Buffer;
  signatures: Buffer[];
}

function envelopeOf(bundle: object): Envelope {
  const envelope = (bundle as { dsseEnvelope?: { payload?: unknown; signatures?: unknown } }).dsseEnvelope;
  const base64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : '', 'base64');
  const signatures = Array.isArray(envelope?.signatures) ? (envelope.signatures as { sig?: unknown }[]) : [];
  return { payload: base64(envelope?.payload), signatures: signatures.map((s) => base64(s?.sig)).filter((sig) => sig.length > 0) };
}

/** The in-toto statement a bundle signs, as bytes (empty when it holds no envelope). */
export function envelopePayload(bundle: object): Buffer {
  return envelopeOf(bundle).payload;
}

/** `sha256:<hex>` of the statement's first subject: what GitHub lists the bundle under once it records it. */
export function firstSubjectDigest(bundle: object): string | undefined {
  try {
    const statement = JSON.parse(envelopePayload(bundle).toString('utf8')) as { subject?: { digest?: { sha256?: unknown } }[] };
    const hex = statement.subject?.[0]?.digest?.sha256;
    return typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex) ? `sha256:${hex}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `held` is this very bundle: the same statement under the same signature. Each keyless signing uses a key of
 * its own, so another run's bundle (even of the same statement) never matches. Compared as bytes: base64 written
 * otherwise (padding, alphabet) still matches.
 */
export function sameEnvelope(held: object, bundle: object): boolean {
  const a = envelopeOf(held);
  const b = envelopeOf(bundle);
  return a.payload.length > 0 && a.payload.equals(b.payload) && b.signatures.length > 0 && b.signatures.every((sig) => a.signatures.some((other) => other.equals(sig)));
}
