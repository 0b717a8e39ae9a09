import { ChartshipError } from '../model/errors.js';
import { duration, rateLimitNote } from './rate-limit.js';
import { redactText, redactUrl } from '../model/redact.js';
import { defaultRetryPolicy, isRetryableStatus, retryAfterMs } from './retry.js';
import { registryHint } from './registries/hints.js';

const HINTS: Record<string, string> = {
  NAME_UNKNOWN: 'create the repository or project in the registry first (ECR, Harbor and Artifact Registry do not create it on push)',
  DENIED: 'the credentials lack push permission for this repository',
  UNAUTHORIZED: 'log in (helm registry login / docker login) or pass --username and --password-stdin',
  TOOMANYREQUESTS: 'the registry is rate limiting; wait and retry, or authenticate for a higher limit',
  MANIFEST_BLOB_UNKNOWN: 'a blob the manifest refers to is missing; the upload did not complete',
  MANIFEST_INVALID: 'the registry refused the manifest; it may not accept OCI artifacts',
  DIGEST_INVALID: 'the uploaded bytes did not match their digest; a proxy may have altered them',
  BLOB_UPLOAD_INVALID: 'the upload session was lost; retry the push',
};

export interface RegistryErrorDetails {
  /** OCI error code (`NAME_UNKNOWN`, …) or a status-derived one (`HTTP_502`). */
  code: string;
  status: number;
  method: string;
  url: URL | string;
  message?: string;
  /** Replaces the hint the code would give. */
  hint?: string;
  cause?: unknown;
}

/** Anything a registry refused. The URL is always redacted; the server's message is scrubbed of tokens. */
export class RegistryError extends ChartshipError {
  readonly status: number;
  readonly url: string;
  readonly ociCode: string;

  constructor(details: RegistryErrorDetails) {
    const url = redactUrl(details.url);
    const text = details.message ? `: ${redactText(details.message)}` : '';
    super(`${details.method} ${url} failed with ${details.status === 0 ? 'no answer' : `HTTP ${details.status}`} ${details.code}${text}`, {
      code: details.code,
      hint: details.hint ?? HINTS[details.code] ?? statusHint(details.status),
      cause: details.cause,
    });
    this.name = 'RegistryError';
    this.status = details.status;
    this.url = url;
    this.ociCode = details.code;
  }
}

/** The hint an answer's status gives when its code has none. */
function statusHint(status: number): string | undefined {
  if (status === 403) return HINTS['DENIED'];
  if (status === 401) return HINTS['UNAUTHORIZED'];
  // Only the last of the attempts the retry policy made reaches an error.
  if (isRetryableStatus(status)) return `the registry kept failing on its side (HTTP ${status}) through every retry: run again once it recovers; what is already pushed stays, and a rerun completes the rest`;
  return undefined;
}

/** Whether `error` is a registry refusing these credentials (401, 403), as opposed to not answering or failing. */
export function isRefusal(error: unknown): error is RegistryError {
  return error instanceof RegistryError && (error.status === 401 || error.status === 403);
}

/**
 * Reads the distribution error body `{"errors":[{code,message,detail}]}`; falls back to the status. A 429 says what
 * its rate-limit headers say; the hint is the registry's own (registries/hints.ts) when its behaviour explains it.
 */
export function registryErrorFrom(
  method: string,
  url: URL | string,
  status: number,
  body: Buffer,
  headers: Record<string, string> = {},
  now = Date.now(),
  /** What the caller knows of the refusal, when no registry-specific hint applies (before the code's own). */
  context?: string,
): RegistryError {
  const said = readErrorBody(body);
  const code = said.code ?? (status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'DENIED' : status === 429 ? 'TOOMANYREQUESTS' : `HTTP_${status}`);
  let message = said.message;
  const limited = status === 429 ? rateLimitNote(headers, now) : undefined;
  if (limited) message = message ? `${message} (${limited})` : limited;
  // A wait longer than any retry waits ends the retries at once: "through every retry" would not be true.
  const after = isRetryableStatus(status) ? retryAfterMs(headers['retry-after'], now) : undefined;
  const tooLong = after !== undefined && after > defaultRetryPolicy.maxDelayMs ? duration(after) : undefined;
  if (tooLong && !limited) message = `${message ? `${message} ` : ''}(it asks to be tried again in ${tooLong})`;
  // Go's HTTPS servers answer a plain-HTTP request with 400 and this text.
  const plainHttp = status === 400 && /HTTP request to an HTTPS server/i.test(body.toString('utf8'));
  const hint = plainHttp
    ? 'the registry serves HTTPS: drop --plain-http (action input plain-http)'
    : registryHint(hostOf(url), { status, code, message }) ??
      (tooLong && `the registry asks chartship to come back in ${tooLong} (Retry-After), longer than a run waits: run again after that; what is already pushed stays, and a rerun completes the rest`) ??
      context;
  return new RegistryError({ code, status, method, url, message, hint });
}

/**
 * The first error of a distribution error body; else what token servers answer in their own forms (Docker Hub's
 * `{"details"}`, OAuth2's `{"error","error_description"}`); else a short plain-text body as the message.
 */
export function readErrorBody(body: Buffer): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      errors?: { code?: string; message?: string; detail?: unknown }[];
      details?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    const first = parsed.errors?.[0];
    if (first) {
      const detail = detailText(first.detail);
      const message = [first.message, detail !== undefined && !first.message?.includes(detail) ? detail : undefined].filter(Boolean).join(': ');
      return { ...(first.code ? { code: first.code } : {}), ...(message ? { message } : {}) };
    }
    const said = [parsed.error_description, parsed.details, parsed.error].find((v): v is string => typeof v === 'string' && v.trim() !== '');
    return said ? { message: said } : {};
  } catch {
    const text = body.toString('utf8').trim();
    return text && text.length < 300 && !text.startsWith('<') ? { message: text } : {};
  }
}

/** Longest `detail` shown: a registry's detail names what it refused, it is no place for a document. */
const DETAIL_LIMIT = 300;

/**
 * An error's `detail` when it is words: a string (distribution: the digest of the blob a manifest lacks) or an
 * object's `message` (Quay: why a manifest is invalid), as helm prints them after the message. Other details are
 * structures for programs (distribution's list of the accesses a 401 wanted, `{"name": …}`), left out.
 */
function detailText(detail: unknown): string | undefined {
  const nested = detail !== null && typeof detail === 'object' && !Array.isArray(detail) ? (detail as { message?: unknown }).message : undefined;
  const words = typeof detail === 'string' ? detail : nested;
  const text = typeof words === 'string' ? words.trim() : '';
  if (text === '') return undefined;
  return text.length > DETAIL_LIMIT ? `${text.slice(0, DETAIL_LIMIT)}…` : text;
}

function hostOf(url: URL | string): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return '';
  }
}

/**
 * The registry's own words when it refused a manifest PUT because the tag may not change; undefined for any other
 * refusal. What registries really answer:
 * - ECR: 400 `TAG_INVALID` "The image tag '…' already exists in the '…' repository and cannot be overwritten because
 *   the repository is immutable." (or "…because the tag is immutable."; moby/buildkit#3776,
 *   osscontainertools/kaniko#204); its API names the same case `ImageTagAlreadyExistsException`.
 * - Harbor 2.x: 412 `PRECONDITION` "Failed to process request due to '…:…' configured as immutable."
 *   (goharbor/harbor src/server/middleware/immutable/pushmf.go and error.go); Harbor 1.10: 412 `DENIED`
 *   "The tag:…:… is immutable, cannot be overwrite."
 * - ACR, for a tag or repository locked with `--write-enabled false`: `REGISTRY_DISALLOWED_OPERATION` "The operation is
 *   disallowed on this registry, repository or image. View troubleshooting steps at https://aka.ms/acr/faq/…"
 *   (Azure/azure-sdk-for-net#22827 shows the body with 405; docker prints it as "unknown: The operation is
 *   disallowed…").
 */
export function immutableRefusal(status: number, body: Buffer): string | undefined {
  let errors: { code?: string; message?: string }[] = [];
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) errors = parsed.errors as typeof errors;
  } catch {
    return undefined;
  }
  for (const { code = '', message = '' } of errors) {
    const immutable = /immutable|cannot be overwritten|operation is disallowed/i.test(message)
      || code === 'ImageTagAlreadyExistsException'
      || code === 'REGISTRY_DISALLOWED_OPERATION'
      || (status === 412 && code === 'PRECONDITION');
    if (immutable) return redactText(message || code);
  }
  return undefined;
}

/** The one message for every registry's immutable-tag refusal. */
export function immutableTag(ref: string, held: string | undefined, registrySaid: string): ChartshipError {
  return new ChartshipError(`tag ${ref} is immutable in the registry${held ? ` and holds ${held}` : ''} (the registry said: ${registrySaid})`, {
    code: 'TAG_IMMUTABLE',
    hint: 'a published version cannot change there (ECR or Harbor tag immutability, an ACR lock): bump the chart version',
  });
}

/**
 * The tag changed under us: another run wrote it after this run looked. Shared wording for every store, so a user
 * (and the tests) see the same line whichever target lost the race.
 */
export function anotherRunPushed(ref: string, held: string | undefined): ChartshipError {
  return new ChartshipError(held ? `tag ${ref} now holds ${held} (another run pushed it)` : `tag ${ref} disappeared right after the push (another run deleted it)`, {
    code: 'TAG_RACE',
    hint: 'two runs published the same version at once: give the workflow a `concurrency:` group so they queue',
  });
}
