import { ChartshipError } from '../../model/errors.js';
import type { Credential } from '../credentials.js';
import { redactText } from '../redact.js';
import { ecrRegistry } from './hosts.js';

/**
 * Amazon ECR through the AWS SDK's ECR client, with the SDK's default credential chain (environment, shared
 * config and SSO profiles, `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` as GitHub's OIDC role assumption leaves
 * them, container and instance metadata). The SDK is large, so it is loaded only when an ECR host needs it (see
 * ecr-sdk.ts); its endpoint follows `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL` like every AWS tool.
 *
 * ECR's API is JSON 1.1 (`X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>`); its registry logs in with
 * Basic `AWS:<password>`, where GetAuthorizationToken answers `authorizationToken` = base64("AWS:<password>"),
 * valid for 12 hours (AWS docs, "Private registry authentication in Amazon ECR").
 */
type EcrSdk = typeof import('./ecr-sdk.js');

let sdk: Promise<EcrSdk> | undefined;
const clients = new Map<string, Promise<InstanceType<EcrSdk['ECRClient']>>>();
const credentials = new Map<string, Promise<Credential>>();

function loadSdk(): Promise<EcrSdk> {
  // The SDK warns on Node < 22 about its own future releases; chartship bundles a release that supports Node 20, so
  // the warning would only alarm users who can do nothing about it.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // A chunk of its own in dist/ (scripts/build.mjs), read only when an ECR host needs it.
  sdk ??= import('./ecr-sdk.js');
  return sdk;
}

function client(region: string) {
  let found = clients.get(region);
  if (!found) {
    found = loadSdk().then((s) => new s.ECRClient({ region }));
    clients.set(region, found);
  }
  return found;
}

function registryOf(host: string): { account: string; region: string } {
  const registry = ecrRegistry(host);
  if (!registry) throw new ChartshipError(`${host} is not an ECR registry host`, { code: 'ECR_HOST' });
  return registry;
}

/** Registry credentials from GetAuthorizationToken, once per host and run. */
export function ecrCredential(host: string): Promise<Credential> {
  let found = credentials.get(host);
  if (!found) {
    found = fetchCredential(host);
    credentials.set(host, found);
    // A failure is not kept: the next target on this host may ask again.
    found.catch(() => credentials.delete(host));
  }
  return found;
}

async function fetchCredential(host: string): Promise<Credential> {
  const { region } = registryOf(host);
  const [ecr, { GetAuthorizationTokenCommand }] = await Promise.all([client(region), loadSdk()]);
  let token: string | undefined;
  try {
    token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0]?.authorizationToken;
  } catch (error) {
    throw awsError(`ECR GetAuthorizationToken for ${host}`, error);
  }
  const decoded = Buffer.from(token ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new ChartshipError(`ECR GetAuthorizationToken for ${host} answered without a usable token`, { code: 'ECR_TOKEN' });
  return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source: 'ECR GetAuthorizationToken (AWS credentials from the default chain)' };
}

/**
 * Makes sure `repository` exists in the ECR registry of `host`: DescribeRepositories, and CreateRepository when it
 * answers RepositoryNotFoundException. A repository created meanwhile by another run counts as there.
 */
export async function ensureEcrRepository(host: string, repository: string): Promise<'created' | 'exists'> {
  const { account, region } = registryOf(host);
  const ecr = await client(region);
  const { DescribeRepositoriesCommand, CreateRepositoryCommand } = await loadSdk();
  try {
    await ecr.send(new DescribeRepositoriesCommand({ registryId: account, repositoryNames: [repository] }));
    return 'exists';
  } catch (error) {
    if ((error as { name?: string }).name !== 'RepositoryNotFoundException') throw awsError(`ECR DescribeRepositories ${repository}`, error);
  }
  try {
    await ecr.send(new CreateRepositoryCommand({ registryId: account, repositoryName: repository }));
    return 'created';
  } catch (error) {
    if ((error as { name?: string }).name === 'RepositoryAlreadyExistsException') return 'exists';
    throw awsError(`ECR CreateRepository ${repository}`, error);
  }
}

function awsError(action: string, error: unknown): ChartshipError {
  const { name = 'Error', message = String(error) } = error as { name?: string; message?: string };
  const said = redactText(message).split('\n')[0]!.slice(0, 300);
  if (name === 'CredentialsProviderError') {
    return new ChartshipError(`${action}: no AWS credentials were found (${said})`, {
      code: 'AWS_CREDENTIALS',
      hint: 'configure them before chartship runs: aws-actions/configure-aws-credentials (role-to-assume with OIDC), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN',
      cause: error,
    });
  }
  const denied = /AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken/i.test(name);
  return new ChartshipError(`${action} failed: ${name}: ${said}`, {
    code: denied ? 'AWS_DENIED' : 'ECR_API',
    hint: denied ? 'the AWS identity needs ecr:GetAuthorizationToken, ecr:DescribeRepositories and ecr:CreateRepository (for create-repositories)' : undefined,
    cause: error,
  });
}
