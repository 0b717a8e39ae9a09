/**
 * Small emulations of the AWS services chartship's ECR support talks to, on loopback, answering as AWS documents
 * them, reached through `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL_STS` and the credential sources' own variables.
 * Signed requests are checked as AWS checks them: the SigV4 signature is computed again here with aws4 (another
 * implementation than the @smithy/signature-v4 chartship signs with) from the secret of the access key the request
 * names; an unknown key or a signature that does not match is refused with AWS's error.
 *
 * - ECR API (Amazon ECR API Reference): JSON 1.1 protocol, `POST /` with `X-Amz-Target:
 *   AmazonEC2ContainerRegistry_V20150921.<Operation>` and `Content-Type: application/x-amz-json-1.1`; errors are
 *   400 with `{"__type": "RepositoryNotFoundException", "message": …}`. GetAuthorizationToken answers
 *   `authorizationData[0].authorizationToken` = base64("AWS:<password>") for the registry's Basic login.
 * - STS AssumeRoleWithWebIdentity (AWS STS API Reference): the query protocol, a form body with `Action`,
 *   `Version=2011-06-15`, `RoleArn`, `RoleSessionName`, `WebIdentityToken`; an XML answer with the temporary
 *   `Credentials`.
 * - Container credentials (the ECS/EKS endpoint `AWS_CONTAINER_CREDENTIALS_FULL_URI` names) and EC2 instance metadata
 *   (IMDSv2, at `AWS_EC2_METADATA_SERVICE_ENDPOINT`): JSON with `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`.
 * Every call is recorded with the access key its SigV4 `Authorization` names (never a secret).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import aws4 from 'aws4';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsCall {
  operation: string;
  body: Record<string, unknown>;
  /** From `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request`. */
  accessKey?: string;
  region?: string;
  service?: string;
  /** Whether `X-Amz-Security-Token` (temporary credentials) came along. */
  sessionToken?: string;
  /** Whether the signature matched the one computed here from the key's secret. */
  signatureValid?: boolean;
}

/** Access key id → secret access key: who may call a signed API. */
export type AwsKeys = Record<string, string>;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Recomputes the request's SigV4 signature with aws4 from the headers it says it signed and the secret of its key. */
function signatureMatches(req: IncomingMessage, body: string, keys: AwsKeys): boolean {
  const match = AUTHORIZATION.exec(req.headers.authorization ?? '');
  const secret = match ? keys[match[1]!] : undefined;
  if (!match || secret === undefined) return false;
  const headers: Record<string, string> = {};
  for (const name of match[5]!.split(';')) {
    const value = req.headers[name];
    if (typeof value !== 'string') return false;
    headers[name] = value;
  }
  if (!headers['x-amz-date']?.startsWith(match[2]!)) return false;
  // The signer is given the request's own X-Amz-Date (aws4 would otherwise sign at its own clock).
  const signer = new aws4.RequestSigner(
    { host: headers['host'], method: req.method, path: req.url, service: match[4], region: match[3], headers, body, doNotModifyHeaders: true },
    { accessKeyId: match[1]!, secretAccessKey: secret },
  );
  signer.datetime = headers['x-amz-date'];
  const expected = signer.signature();
  return expected.length === 64 && timingSafeEqual(Buffer.from(expected), Buffer.from(match[6]!));
}

export interface AwsEndpoint {
  url: string;
  calls: AwsCall[];
  stop(): Promise<void>;
}

function credentialOf(req: IncomingMessage): Pick<AwsCall, 'accessKey' | 'region' | 'service' | 'sessionToken'> {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  const token = req.headers['x-amz-security-token'];
  return { accessKey: match?.[1], region: match?.[2], service: match?.[3], ...(typeof token === 'string' ? { sessionToken: token } : {}) };
}

async function serve(handle: (req: IncomingMessage, body: string) => { status: number; type: string; body: string }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = handle(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(answer.status, { 'content-type': answer.type, 'x-amzn-requestid': randomBytes(8).toString('hex') });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const stopper = (server: Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export interface EcrApi extends AwsEndpoint {
  repositories: Set<string>;
}

/**
 * The ECR API of one registry (`account`, `region`): repositories in `repositories`, the registry password handed
 * out by GetAuthorizationToken; `onCreate` is told each repository created. Only `keys` may call it, with a valid
 * signature.
 */
export async function startEcrApi(options: { account: string; region: string; password: string; keys: AwsKeys; onCreate?: (name: string) => void }): Promise<EcrApi> {
  const calls: AwsCall[] = [];
  const repositories = new Set<string>();
  const json = (status: number, body: unknown) => ({ status, type: 'application/x-amz-json-1.1', body: JSON.stringify(body) });
  const error = (type: string, message: string) => json(400, { __type: type, message });
  const describe = (name: string) => ({
    registryId: options.account,
    repositoryName: name,
    repositoryArn: `arn:aws:ecr:${options.region}:${options.account}:repository/${name}`,
    repositoryUri: `${options.account}.dkr.ecr.${options.region}.amazonaws.com/${name}`,
    createdAt: 1_700_000_000,
    imageTagMutability: 'MUTABLE',
  });
  const { server, url } = await serve((req, text) => {
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonEC2ContainerRegistry_V20150921\./, '');
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const call: AwsCall = { operation, body, ...credentialOf(req), signatureValid: signatureMatches(req, text, options.keys) };
    calls.push(call);
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1') return error('SerializationException', 'expected application/x-amz-json-1.1');
    if (!call.accessKey || options.keys[call.accessKey] === undefined) return error('UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (!call.signatureValid) {
      return error('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
    }
    const name = typeof body['repositoryName'] === 'string' ? body['repositoryName'] : '';
    switch (operation) {
      case 'GetAuthorizationToken':
        return json(200, {
          authorizationData: [{
            authorizationToken: Buffer.from(`AWS:${options.password}`).toString('base64'),
            expiresAt: Math.floor(Date.now() / 1000) + 12 * 3600,
            proxyEndpoint: `https://${options.account}.dkr.ecr.${options.region}.amazonaws.com`,
          }],
        });
      case 'DescribeRepositories': {
        const names = (body['repositoryNames'] as string[] | undefined) ?? [...repositories];
        const missing = names.find((n) => !repositories.has(n));
        if (missing) return error('RepositoryNotFoundException', `The repository with name '${missing}' does not exist in the registry with id '${options.account}'`);
        return json(200, { repositories: names.map(describe) });
      }
      case 'CreateRepository':
        if (repositories.has(name)) return error('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${options.account}'`);
        repositories.add(name);
        options.onCreate?.(name);
        return json(200, { repository: describe(name) });
      default:
        return error('InvalidParameterException', `operation ${operation} is not emulated`);
    }
  });
  return { url, calls, repositories, stop: stopper(server) };
}

/**
 * STS that trades `webIdentityToken` (for `roleArn`) for the temporary `issued` credentials (AssumeRoleWithWebIdentity,
 * unsigned), and hands the same to a caller signing with one of `keys` (AssumeRole, for profiles with `role_arn`).
 */
export async function startSts(options: {
  roleArn: string;
  webIdentityToken: string;
  keys?: AwsKeys;
  issued: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}): Promise<AwsEndpoint> {
  const calls: AwsCall[] = [];
  const xml = (status: number, body: string) => ({ status, type: 'text/xml', body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });
  const refuse = (code: string, message: string) => xml(code === 'InvalidAction' ? 400 : 403, `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error></ErrorResponse>`);
  const { server, url } = await serve((req, text) => {
    const form = new URLSearchParams(text);
    const operation = form.get('Action') ?? '';
    const signed = req.headers.authorization !== undefined;
    // The web identity token is the credential here: recorded as whether it matched, never as text.
    calls.push({
      operation,
      body: { RoleArn: form.get('RoleArn'), RoleSessionName: form.get('RoleSessionName'), tokenMatched: form.get('WebIdentityToken') === options.webIdentityToken },
      ...credentialOf(req),
      ...(signed ? { signatureValid: signatureMatches(req, text, options.keys ?? {}) } : {}),
    });
    if (!['AssumeRoleWithWebIdentity', 'AssumeRole'].includes(operation) || form.get('Version') !== '2011-06-15') return refuse('InvalidAction', 'not emulated');
    if (form.get('RoleArn') !== options.roleArn) return refuse('AccessDenied', `Not authorized to perform sts:${operation}`);
    if (operation === 'AssumeRoleWithWebIdentity' && form.get('WebIdentityToken') !== options.webIdentityToken) return refuse('InvalidIdentityToken', 'Incorrect token audience');
    if (operation === 'AssumeRole') {
      const key = credentialOf(req).accessKey;
      if (!key || options.keys?.[key] === undefined) return refuse('InvalidClientTokenId', 'The security token included in the request is invalid.');
      if (!calls.at(-1)!.signatureValid) return refuse('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    const { accessKeyId, secretAccessKey, sessionToken } = options.issued;
    return xml(200, `<${operation}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <${operation}Result>
    <AssumedRoleUser>
      <Arn>${options.roleArn.replace(':role/', ':assumed-role/')}/${form.get('RoleSessionName')}</Arn>
      <AssumedRoleId>AROACHARTSHIPTEST:${form.get('RoleSessionName')}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>${secretAccessKey}</SecretAccessKey>
      <SessionToken>${sessionToken}</SessionToken>
      <Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration>
    </Credentials>
  </${operation}Result>
  <ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata>
</${operation}Response>`);
  });
  return { url, calls, stop: stopper(server) };
}

export interface MetadataEndpoint extends AwsEndpoint {
  /** Each request: method, path and whether it carried the expected token. */
  requests: { method: string; path: string; authorized: boolean }[];
}

const credentialsJson = (issued: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) =>
  JSON.stringify({
    Code: 'Success',
    Type: 'AWS-HMAC',
    AccessKeyId: issued.accessKeyId,
    SecretAccessKey: issued.secretAccessKey,
    Token: issued.sessionToken,
    Expiration: new Date(Date.now() + 3600_000).toISOString(),
    LastUpdated: new Date().toISOString(),
  });

/**
 * The container credentials endpoint of ECS and EKS Pod Identity (`AWS_CONTAINER_CREDENTIALS_FULL_URI`): GET with
 * `Authorization: <token>` (the token in `AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]`) answers `issued`.
 */
export async function startContainerCredentials(options: { token: string; issued: { accessKeyId: string; secretAccessKey: string; sessionToken: string } }): Promise<MetadataEndpoint> {
  const requests: MetadataEndpoint['requests'] = [];
  const { server, url } = await serve((req) => {
    const authorized = req.headers.authorization === options.token;
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorized });
    if (req.method !== 'GET' || req.url !== '/v1/credentials') return { status: 404, type: 'text/plain', body: 'not found' };
    if (!authorized) return { status: 401, type: 'application/json', body: JSON.stringify({ code: 'AccessDenied', message: 'token refused' }) };
    return { status: 200, type: 'application/json', body: credentialsJson(options.issued) };
  });
  return { url: `${url}/v1/credentials`, calls: [], requests, stop: stopper(server) };
}

/**
 * EC2 instance metadata, IMDSv2 (AWS docs, "Use the Instance Metadata Service"): PUT /latest/api/token for a session
 * token, then GET /latest/meta-data/iam/security-credentials/ (the role's name) and …/<role> (`issued`), each with
 * `X-aws-ec2-metadata-token`. `url` goes in `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
 */
export async function startInstanceMetadata(options: { role: string; issued: { accessKeyId: string; secretAccessKey: string; sessionToken: string } }): Promise<MetadataEndpoint> {
  const requests: MetadataEndpoint['requests'] = [];
  const token = randomBytes(16).toString('hex');
  const base = '/latest/meta-data/iam/security-credentials/';
  const { server, url } = await serve((req) => {
    const authorized = req.headers['x-aws-ec2-metadata-token'] === token;
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorized });
    if (req.method === 'PUT' && req.url === '/latest/api/token' && req.headers['x-aws-ec2-metadata-token-ttl-seconds']) return { status: 200, type: 'text/plain', body: token };
    if (req.method !== 'GET') return { status: 405, type: 'text/plain', body: 'method not allowed' };
    if (!authorized) return { status: 401, type: 'text/plain', body: 'unauthorized' };
    if (req.url === base) return { status: 200, type: 'text/plain', body: options.role };
    if (req.url === `${base}${options.role}`) return { status: 200, type: 'text/plain', body: credentialsJson(options.issued) };
    return { status: 404, type: 'text/plain', body: 'not found' };
  });
  return { url, calls: [], requests, stop: stopper(server) };
}
