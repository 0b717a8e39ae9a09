import { ChartshipError } from '../errors.js';
import { redactText, redactUrl } from './redact.js';

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
      hint: HINTS[details.code] ?? (details.status === 403 ? HINTS['DENIED'] : details.status === 401 ? HINTS['UNAUTHORIZED'] : undefined),
      cause: details.cause,
    });
    this.name = 'RegistryError';
    this.status = details.status;
    this.url = url;
    this.ociCode = details.code;
  }
}

/** Reads the distribution error body `{"errors":[{code,message,detail}]}`; falls back to the status. */
export function registryErrorFrom(method: string, url: URL | string, status: number, body: Buffer): RegistryError {
  let code = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'DENIED' : status === 429 ? 'TOOMANYREQUESTS' : `HTTP_${status}`;
  let message: string | undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string; detail?: unknown }[] };
    const first = parsed.errors?.[0];
    if (first?.code) code = first.code;
    if (first?.message) message = first.message;
  } catch {
    const text = body.toString('utf8').trim();
    if (text && text.length < 300 && !text.startsWith('<')) message = text;
  }
  return new RegistryError({ code, status, method, url, message });
}
