/**
 * Small emulations of the two AWS APIs chartship's ECR support talks to, on loopback, answering as AWS documents
 * them. The real AWS SDK (the one chartship bundles) is the client: it signs, retries and parses as it would
 * against AWS, reaching these through `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL_STS`.
 *
 * - ECR API (Amazon ECR API Reference): JSON 1.1 protocol, `POST /` with `X-Amz-Target:
 *   AmazonEC2ContainerRegistry_V20150921.<Operation>` and `Content-Type: application/x-amz-json-1.1`; errors are
 *   400 with `{"__type": "RepositoryNotFoundException", "message": …}`. GetAuthorizationToken answers
 *   `authorizationData[0].authorizationToken` = base64("AWS:<password>") for the registry's Basic login.
 * - STS AssumeRoleWithWebIdentity (AWS STS API Reference): the query protocol, a form body with `Action`,
 *   `Version=2011-06-15`, `RoleArn`, `RoleSessionName`, `WebIdentityToken`; an XML answer with the temporary
 *   `Credentials`.
 * Every call is recorded with the access key its SigV4 `Authorization` names (never a secret).
 */
import { randomBytes } from 'node:crypto';
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
 * out by GetAuthorizationToken; `onCreate` is told each repository created. Only `accessKeys` may call it.
 */
export async function startEcrApi(options: { account: string; region: string; password: string; accessKeys: string[]; onCreate?: (name: string) => void }): Promise<EcrApi> {
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
    const call: AwsCall = { operation, body, ...credentialOf(req) };
    calls.push(call);
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1') return error('SerializationException', 'expected application/x-amz-json-1.1');
    if (!call.accessKey || !options.accessKeys.includes(call.accessKey)) return error('UnrecognizedClientException', 'The security token included in the request is invalid.');
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

/** STS that trades `webIdentityToken` (for `roleArn`) for the temporary `issued` credentials. */
export async function startSts(options: {
  roleArn: string;
  webIdentityToken: string;
  issued: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}): Promise<AwsEndpoint> {
  const calls: AwsCall[] = [];
  const xml = (status: number, body: string) => ({ status, type: 'text/xml', body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });
  const { server, url } = await serve((req, text) => {
    const form = new URLSearchParams(text);
    const operation = form.get('Action') ?? '';
    // The web identity token is the credential here: recorded as whether it matched, never as text.
    calls.push({ operation, body: { RoleArn: form.get('RoleArn'), RoleSessionName: form.get('RoleSessionName'), tokenMatched: form.get('WebIdentityToken') === options.webIdentityToken }, ...credentialOf(req) });
    if (operation !== 'AssumeRoleWithWebIdentity' || form.get('Version') !== '2011-06-15') {
      return xml(400, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>not emulated</Message></Error></ErrorResponse>`);
    }
    if (form.get('WebIdentityToken') !== options.webIdentityToken || form.get('RoleArn') !== options.roleArn) {
      return xml(400, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Incorrect token audience</Message></Error></ErrorResponse>`);
    }
    const { accessKeyId, secretAccessKey, sessionToken } = options.issued;
    return xml(200, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>repo:acme/charts:ref:refs/heads/main</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
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
    <Provider>token.actions.githubusercontent.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`);
  });
  return { url, calls, stop: stopper(server) };
}
