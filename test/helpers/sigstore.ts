/**
 * A whole Sigstore instance on 127.0.0.1, for tests without the internet: Fulcio, Rekor and a timestamp authority
 * (the request handlers of @sigstore/mock, served here over real HTTP instead of through nock), a TUF repository
 * that distributes the instance's trusted root (@tufjs/repo-mock's handlers), an OpenID Connect issuer that signs
 * its ID tokens with jose, and GitHub Actions' ID-token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL).
 *
 *   const sigstore = await startSigstore();
 *   env: { ...sigstore.actionsEnv(claims) }            // a runner whose workflow has `id-token: write`
 *   --sigstore-signing-config sigstore.signingConfigFile --sigstore-trusted-root sigstore.trustedRootFile
 *   await sigstore.stop();
 *
 * Fulcio here checks what the real one checks first: the token's signature, issuer and audience (`sigstore`), so a
 * client sending the wrong token fails as it would in production. Only the mock's modules are loaded, never its
 * nock wrapper, so nothing in the test process is intercepted.
 */
import { createHash, generateKeyPairSync, randomBytes, type KeyPairKeyObjectResult } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fulcioHandler, initializeCA, initializeCTLog } from '@sigstore/mock/dist/fulcio/index.js';
import { initializeTLog, rekorHandler } from '@sigstore/mock/dist/rekor/index.js';
import { initializeTSA, tsaHandler, type TSA } from '@sigstore/mock/dist/timestamp/index.js';
import { tufHandlers } from '@tufjs/repo-mock/dist/handler.js';
import { initializeTUFRepo } from '@tufjs/repo-mock/dist/repo.js';
import * as jose from 'jose';

export interface SigstoreStackOptions {
  /** Whether Fulcio, Rekor and the TSA are in the signing config (default: Fulcio + Rekor, as public-good). */
  tsa?: boolean;
  rekor?: boolean;
}

export interface ServedRequest {
  method: string;
  path: string;
  status: number;
}

export interface SigstoreStack {
  /** `http://127.0.0.1:PORT` */
  url: string;
  fulcioUrl: string;
  rekorUrl: string;
  tsaUrl: string;
  /** The OIDC issuer (`iss` of every token made here). */
  issuer: string;
  /** The TUF mirror that serves `trusted_root.json`, and the root.json a client starts from. */
  tufUrl: string;
  tufRootFile: string;
  /** The trusted root (JSON text and file), as `gh attestation trusted-root` would give it. */
  trustedRoot: string;
  trustedRootFile: string;
  /** A Sigstore SigningConfig (v0.2) naming the services above. */
  signingConfigFile: string;
  /** A signed ID token with these claims (audience `sigstore` unless given). */
  token(claims: Record<string, unknown>, audience?: string): Promise<string>;
  /** The variables a runner sets when the workflow grants `id-token: write`; tokens carry `claims`. */
  actionsEnv(claims: Record<string, unknown>): Record<string, string>;
  /** The audiences asked for at the Actions token endpoint, in order. */
  tokenRequests: string[];
  requests: ServedRequest[];
  stop(): Promise<void>;
}

/** Claims as GitHub Actions puts them in a workflow's ID token. */
export function githubClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const repository = typeof overrides['repository'] === 'string' ? overrides['repository'] : 'acme/charts';
  const sha = typeof overrides['sha'] === 'string' ? overrides['sha'] : 'a'.repeat(40);
  return {
    sub: `repo:${repository}:ref:refs/heads/main`,
    ref: 'refs/heads/main',
    sha,
    repository,
    repository_owner: repository.split('/')[0],
    repository_id: '4242',
    repository_owner_id: '4241',
    repository_visibility: 'public',
    run_id: '42',
    run_number: '7',
    run_attempt: '1',
    actor: 'dev',
    workflow: 'release',
    event_name: 'push',
    ref_type: 'branch',
    workflow_ref: `${repository}/.github/workflows/release.yml@refs/heads/main`,
    workflow_sha: sha,
    job_workflow_ref: `${repository}/.github/workflows/release.yml@refs/heads/main`,
    job_workflow_sha: sha,
    runner_environment: 'github-hosted',
    ...overrides,
  };
}

type Handler = { path: string; fn: (body: string) => Promise<{ statusCode: number; response: string | Buffer; contentType?: string }> };

/** The claim the mock's Fulcio takes the certificate's subject alternative name from (it has no issuer rules). */
const SAN_CLAIM = 'x-fulcio-san';
const ec = (): KeyPairKeyObjectResult => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const b64 = (bytes: Buffer) => bytes.toString('base64');

export async function startSigstore(options: SigstoreStackOptions = {}): Promise<SigstoreStack> {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-sigstore-'));
  const requests: ServedRequest[] = [];
  const tokenRequests: string[] = [];
  const oidcKey = await jose.generateKeyPair('ES256');
  const oidcJwk = { ...(await jose.exportJWK(oidcKey.publicKey)), kid: 'test', alg: 'ES256', use: 'sig' };
  const actionsBearer = randomBytes(16).toString('hex');
  const tokenClaims = new Map<string, Record<string, unknown>>();

  const server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${url}/oidc`;

  const caKey = ec();
  const ctlog = await initializeCTLog(caKey);
  const ca = await initializeCA(caKey, ctlog);
  const tlogKey = ec();
  const tlog = await initializeTLog(`${url}/rekor`, tlogKey);
  const tsa = wholeSecondTimestamps(await initializeTSA(ec()));
  const fulcio = fulcioHandler(ca, { subjectClaim: SAN_CLAIM });
  const rekor = rekorHandler(tlog);
  const timestamps = tsaHandler(tsa);

  // Valid from a minute ago: the certificates the mock issues start "now", and clocks of two processes differ.
  const start = new Date(Date.now() - 60_000).toISOString();
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: `${url}/rekor`,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: b64(tlog.publicKey), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
        logId: { keyId: b64(createHash('sha256').update(tlog.publicKey).digest()) },
      },
    ],
    certificateAuthorities: [
      { subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: `${url}/fulcio`, certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] }, validFor: { start } },
    ],
    ctlogs: [
      {
        baseUrl: `${url}/ct`,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: b64(ctlog.publicKey), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
        logId: { keyId: b64(ctlog.logID) },
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        uri: `${url}/tsa`,
        certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
        validFor: { start },
      },
    ],
  };
  const trustedRootText = JSON.stringify(trustedRoot);
  const trustedRootFile = join(dir, 'trusted_root.json');
  writeFileSync(trustedRootFile, trustedRootText);

  const service = (serviceUrl: string) => ({ url: serviceUrl, majorApiVersion: 1, validFor: { start }, operator: 'sigstore.mock' });
  const signingConfigFile = join(dir, 'signing_config.json');
  writeFileSync(
    signingConfigFile,
    JSON.stringify({
      mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
      caUrls: [service(`${url}/fulcio`)],
      oidcUrls: [service(issuer)],
      rekorTlogUrls: options.rekor === false ? [] : [service(`${url}/rekor`)],
      tsaUrls: options.tsa ? [service(`${url}/tsa/api/v1/timestamp`)] : [],
      rekorTlogConfig: { selector: 'ANY' },
      tsaConfig: { selector: 'ANY' },
    }),
  );

  const tuf = initializeTUFRepo([{ name: 'trusted_root.json', content: trustedRootText }]);
  const tufRootFile = join(dir, 'root.json');
  writeFileSync(tufRootFile, JSON.stringify(tuf.rootMeta.toJSON()));
  const tufRoutes = new Map(tufHandlers(tuf, { metadataPathPrefix: '', targetPathPrefix: '/targets' }).map((h) => [`/tuf${h.path}`, h.fn]));

  const token = async (claims: Record<string, unknown>, audience = 'sigstore') =>
    new jose.SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'test', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(oidcKey.privateKey);

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function answer(req: IncomingMessage, path: string, query: URLSearchParams): Promise<{ status: number; body: string | Buffer; type?: string }> {
    const body = await readBody(req);
    const run = async (handler: Handler, input = body) => {
      const result = await handler.fn(input);
      return { status: result.statusCode, body: result.response, type: result.contentType };
    };
    if (req.method === 'POST' && path === `/fulcio${fulcio.path}`) {
      // The real Fulcio verifies the token against the issuer it trusts before it issues anything.
      const request = JSON.parse(body) as { credentials?: { oidcIdentityToken?: string } };
      let claims: jose.JWTPayload;
      try {
        claims = (await jose.jwtVerify(request.credentials?.oidcIdentityToken ?? '', await jose.importJWK(oidcJwk, 'ES256'), { issuer, audience: 'sigstore' })).payload;
      } catch (error) {
        return { status: 401, body: `invalid identity token: ${(error as Error).message}` };
      }
      // Fulcio names a GitHub Actions signer by the workflow that ran (job_workflow_ref as a URL), a GitLab CI pipeline
      // by its configuration at its ref (https:// + ci_config_ref_uri), anyone else by `sub`.
      const san =
        typeof claims['job_workflow_ref'] === 'string'
          ? `https://github.com/${claims['job_workflow_ref']}`
          : typeof claims['ci_config_ref_uri'] === 'string'
            ? `https://${claims['ci_config_ref_uri']}`
            : claims.sub;
      request.credentials = { oidcIdentityToken: await token({ ...claims, [SAN_CLAIM]: san }, 'sigstore') };
      return run(fulcio, JSON.stringify(request));
    }
    if (req.method === 'POST' && path === `/rekor${rekor.path}`) return run(rekor, storedEntry(body));
    if (req.method === 'POST' && path === `/tsa${timestamps.path}`) return run(timestamps);
    if (req.method === 'GET' && path === '/oidc/.well-known/openid-configuration') {
      return { status: 200, body: JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['ES256'] }), type: 'application/json' };
    }
    if (req.method === 'GET' && path === '/oidc/jwks') return { status: 200, body: JSON.stringify({ keys: [oidcJwk] }), type: 'application/json' };
    if (req.method === 'GET' && path.startsWith('/actions-token/')) {
      // As the runner's token service: the request token in a Bearer header, the audience as a query parameter.
      if (req.headers.authorization !== `Bearer ${actionsBearer}`) return { status: 401, body: 'bad request token' };
      const claims = tokenClaims.get(path.slice('/actions-token/'.length));
      if (!claims) return { status: 404, body: 'no such run' };
      const audience = query.get('audience') ?? issuer;
      tokenRequests.push(audience);
      return { status: 200, body: JSON.stringify({ value: await token(claims, audience) }), type: 'application/json' };
    }
    const tufRoute = req.method === 'GET' ? tufRoutes.get(path) : undefined;
    if (tufRoute) {
      const result = tufRoute();
      return { status: result.statusCode, body: result.response, type: result.contentType };
    }
    return { status: 404, body: 'not found' };
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const self = new URL(req.url ?? '/', url);
    try {
      const { status, body, type } = await answer(req, self.pathname, self.searchParams);
      requests.push({ method: req.method ?? 'GET', path: self.pathname, status });
      res.writeHead(status, { 'content-type': type ?? 'text/plain' }).end(body);
    } catch (error) {
      requests.push({ method: req.method ?? 'GET', path: self.pathname, status: 500 });
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  }

  return {
    url,
    fulcioUrl: `${url}/fulcio`,
    rekorUrl: `${url}/rekor`,
    tsaUrl: `${url}/tsa/api/v1/timestamp`,
    issuer,
    tufUrl: `${url}/tuf`,
    tufRootFile,
    trustedRoot: trustedRootText,
    trustedRootFile,
    signingConfigFile,
    token,
    actionsEnv(claims) {
      const id = randomBytes(8).toString('hex');
      tokenClaims.set(id, claims);
      return { ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/actions-token/${id}?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: actionsBearer };
    },
    tokenRequests,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The entry as Rekor stores it. The mock logs a proposed entry verbatim, but Rekor turns a proposed `dsse` entry
 * (the envelope and its verifiers) into hashes and signatures, which is what verifiers compare the bundle with.
 */
function storedEntry(body: string): string {
  const entry = JSON.parse(body) as { kind?: string; apiVersion?: string; spec?: { proposedContent?: { envelope: string; verifiers: string[] } } };
  const proposed = entry.spec?.proposedContent;
  if (entry.kind !== 'dsse' || !proposed) return body;
  const envelope = JSON.parse(proposed.envelope) as { payload: string; signatures: { sig: string }[] };
  const sha256 = (bytes: Buffer | string) => ({ algorithm: 'sha256', value: createHash('sha256').update(bytes).digest('hex') });
  return JSON.stringify({
    kind: 'dsse',
    apiVersion: entry.apiVersion,
    spec: {
      envelopeHash: sha256(proposed.envelope),
      payloadHash: sha256(Buffer.from(envelope.payload, 'base64')),
      signatures: envelope.signatures.map((s, i) => ({ signature: s.sig, verifier: proposed.verifiers[i] ?? proposed.verifiers[0] })),
    },
  });
}

/**
 * @sigstore/mock's TSA writes genTime through asn1js, which drops the trailing zeros of the milliseconds (".12Z"), and
 * @sigstore/core reads exactly three digits or none: about one timestamp in ten failed with "invalid time". Whole
 * seconds carry no fraction. Fails loudly if a newer mock no longer has the clock this replaces.
 */
function wholeSecondTimestamps(tsa: TSA): TSA {
  const clocked = tsa as TSA & { getCurrentTime?: () => Date };
  if (typeof clocked.getCurrentTime !== 'function') throw new Error('@sigstore/mock: the TSA has no getCurrentTime to replace (check how it encodes genTime)');
  clocked.getCurrentTime = () => new Date(Math.floor(Date.now() / 1000) * 1000);
  return tsa;
}
