import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { ChartshipError } from '../../model/errors.js';
import { Transport, type HttpResponse } from '../transport.js';

/**
 * Signed calls to the two AWS APIs chartship's ECR support needs, over chartship's own transport (proxy, retries,
 * timeouts), instead of the AWS SDK's clients (several hundred kB in dist/ for three calls):
 *
 * - ECR (Amazon ECR API Reference): JSON 1.1, `POST /` with `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>`;
 *   an error is a 4xx with `{"__type": "<namespace>#<Name>", "message": …}`.
 * - STS (AWS STS API Reference): the query protocol, a form body with `Action` and `Version=2011-06-15`, an XML answer;
 *   used by the SDK's credential chain to assume roles (profiles with `role_arn`, web identity tokens).
 *
 * Requests are signed with the SDK's own SigV4 signer (@smithy/signature-v4). Endpoints follow `AWS_ENDPOINT_URL_<SERVICE>`
 * and `AWS_ENDPOINT_URL` like every AWS tool, and `AWS_USE_FIPS_ENDPOINT=true`.
 */
type AwsLib = typeof import('./aws-lib.js');

/** What the SDK's credential providers answer (its AwsCredentialIdentity). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

let lib: Promise<AwsLib> | undefined;
/** A chunk of its own in dist/ (scripts/build.mjs), read only when an ECR host needs it. */
export function loadAwsLib(): Promise<AwsLib> {
  lib ??= import('./aws-lib.js');
  return lib;
}

/** An error answer of an AWS API, named as the SDK names it (`RepositoryNotFoundException`, `ExpiredToken`…). */
export class AwsApiError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number,
    readonly service: 'ecr' | 'sts' = 'ecr',
  ) {
    super(message);
  }
}

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the SigV4 signer asks for. */
class Sha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.#hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

const transports = new Map<string, Transport>();

function transportFor(url: URL): Transport {
  let found = transports.get(url.origin);
  if (!found) {
    found = new Transport(url.host, { plainHttp: url.protocol === 'http:' }, { plainHttpHint: 'check AWS_ENDPOINT_URL' });
    transports.set(url.origin, found);
  }
  return found;
}

/** The endpoint of `service` in `region`: the `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL` override, else AWS's name. */
export function awsEndpoint(service: 'ecr' | 'sts', region: string, env: NodeJS.ProcessEnv = process.env): URL {
  const configured = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env['AWS_ENDPOINT_URL'];
  if (configured) {
    try {
      return new URL(configured);
    } catch {
      throw new ChartshipError(`AWS_ENDPOINT_URL${env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] ? `_${service.toUpperCase()}` : ''} is not a URL: ${JSON.stringify(configured)}`, { code: 'AWS_ENDPOINT' });
    }
  }
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const fips = env['AWS_USE_FIPS_ENDPOINT'] === 'true';
  const name = service === 'ecr' ? (fips ? `ecr-fips.${region}` : `api.ecr.${region}`) : fips ? `sts-fips.${region}` : `sts.${region}`;
  return new URL(`https://${name}.${suffix}/`);
}

/** Signs and sends one request; answers with the response, whatever its status. */
async function signedPost(
  service: 'ecr' | 'sts',
  region: string,
  headers: Record<string, string>,
  body: string,
  credentials: AwsCredentials | undefined,
  what: string,
): Promise<HttpResponse> {
  const url = awsEndpoint(service, region);
  const request = { method: 'POST', protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query: {}, headers: { ...headers, host: url.host }, body };
  let signed: Record<string, string> = request.headers;
  if (credentials) {
    const { SignatureV4 } = await loadAwsLib();
    const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
    signed = (await signer.sign(request)).headers;
  }
  // The transport names the host itself; every other signed header goes as signed.
  const sent = Object.fromEntries(Object.entries(signed).filter(([name]) => name.toLowerCase() !== 'host'));
  return transportFor(url).request({ method: 'POST', url, headers: sent, body: Buffer.from(body), what, limit: 1024 * 1024 });
}

/** One ECR API operation, signed with `credentials`; an error answer throws AwsApiError. */
export async function ecrCall<T>(region: string, operation: string, input: object, credentials: AwsCredentials): Promise<T> {
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}` };
  const response = await signedPost('ecr', region, headers, JSON.stringify(input), credentials, `ECR ${operation} answer`);
  const body = response.body.toString('utf8');
  let parsed: Record<string, unknown> = {};
  try {
    parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } catch {
    if (response.status < 300) throw new ChartshipError(`ECR ${operation} answered ${response.status} with a body that is not JSON`, { code: 'ECR_API' });
  }
  if (response.status >= 300) {
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const type = text(parsed['__type']) ?? response.headers['x-amzn-errortype'] ?? `HTTP ${response.status}`;
    const message = text(parsed['message']) ?? text(parsed['Message']) ?? body.slice(0, 300);
    throw new AwsApiError(type.replace(/^.*#/, '').replace(/:.*$/, ''), message, response.status);
  }
  return parsed as T;
}

/** The role assumers the SDK's credential chain calls for `role_arn` profiles and web identity tokens. */
export function stsRoleAssumers(region: string) {
  return {
    roleAssumer: (source: AwsCredentials, params: object) => stsCredentials(region, 'AssumeRole', params, source),
    roleAssumerWithWebIdentity: (params: object) => stsCredentials(region, 'AssumeRoleWithWebIdentity', params, undefined),
  };
}

/** Query-protocol form fields: scalars as they are, `PolicyArns: [{arn}]` as `PolicyArns.member.1.arn`. */
function formOf(action: string, params: object): string {
  const form = new URLSearchParams({ Action: action, Version: '2011-06-15' });
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((member: unknown, index) => {
        if (member && typeof member === 'object') for (const [k, v] of Object.entries(member)) form.set(`${key}.member.${index + 1}.${k}`, String(v));
        else form.set(`${key}.member.${index + 1}`, String(member));
      });
    } else if (typeof value !== 'object') {
      form.set(key, String(value));
    }
  }
  return form.toString();
}

async function stsCredentials(region: string, action: 'AssumeRole' | 'AssumeRoleWithWebIdentity', params: object, source: AwsCredentials | undefined): Promise<AwsCredentials> {
  const response = await signedPost('sts', region, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, formOf(action, params), source, `STS ${action} answer`);
  const { XMLParser } = await loadAwsLib();
  // Every value stays text: a session token or a key that looks like a number is still a string.
  const xml = new XMLParser({ parseTagValue: false, ignoreAttributes: true }).parse(response.body.toString('utf8')) as Record<string, Record<string, Record<string, Record<string, string> | undefined> | undefined> | undefined>;
  if (response.status >= 300) {
    const error = (xml['ErrorResponse']?.['Error'] ?? {}) as Record<string, string | undefined>;
    throw new AwsApiError(error['Code'] ?? `HTTP ${response.status}`, `STS ${action}: ${error['Message'] ?? 'no message'}`, response.status, 'sts');
  }
  const credentials = xml[`${action}Response`]?.[`${action}Result`]?.['Credentials'];
  if (!credentials?.['AccessKeyId'] || !credentials['SecretAccessKey']) {
    throw new AwsApiError('InvalidResponse', `STS ${action} answered without credentials`, response.status, 'sts');
  }
  return {
    accessKeyId: credentials['AccessKeyId'],
    secretAccessKey: credentials['SecretAccessKey'],
    sessionToken: credentials['SessionToken'],
    expiration: credentials['Expiration'] ? new Date(credentials['Expiration']) : undefined,
  };
}
