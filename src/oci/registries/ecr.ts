import { ChartshipError } from '../../model/errors.js';
import type { Credential } from '../credentials.js';
import { redactText } from '../../model/redact.js';
import { AwsApiError, ecrCall, loadAwsLib, stsRoleAssumers, type AwsCredentials } from './aws-api.js';
import { ecrRegistry } from './hosts.js';

/**
 * Amazon ECR: GetAuthorizationToken, DescribeRepositories and CreateRepository as SigV4-signed calls (aws-api.ts),
 * with the AWS SDK's default credential chain (@aws-sdk/credential-provider-node: environment, shared config and
 * credentials files, `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` as GitHub's OIDC role assumption leaves them,
 * container and instance metadata), its STS calls made by aws-api.ts. README's ECR section lists the sources.
 *
 * ECR's registry logs in with Basic `AWS:<password>`, where GetAuthorizationToken answers `authorizationToken` =
 * base64("AWS:<password>"), valid for 12 hours (AWS docs, "Private registry authentication in Amazon ECR").
 */
type Provider = () => Promise<AwsCredentials>;

const providers = new Map<string, Promise<Provider>>();
const credentials = new Map<string, Promise<Credential>>();

/** The SDK's default chain, once per region (the region its STS calls go to); it caches and refreshes what it finds. */
function awsCredentials(region: string): Promise<AwsCredentials> {
  let found = providers.get(region);
  if (!found) {
    found = loadAwsLib().then(({ defaultProvider }) => defaultProvider({ ...stsRoleAssumers(region) }));
    providers.set(region, found);
  }
  return found.then((provider) => provider());
}

async function call<T>(host: string, operation: string, input: object): Promise<T> {
  const { region } = registryOf(host);
  return ecrCall<T>(region, operation, input, await awsCredentials(region));
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
  let token: string | undefined;
  try {
    const answer = await call<{ authorizationData?: { authorizationToken?: string }[] }>(host, 'GetAuthorizationToken', {});
    token = answer.authorizationData?.[0]?.authorizationToken;
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
  const { account } = registryOf(host);
  try {
    await call(host, 'DescribeRepositories', { registryId: account, repositoryNames: [repository] });
    return 'exists';
  } catch (error) {
    if ((error as { name?: string }).name !== 'RepositoryNotFoundException') throw awsError(`ECR DescribeRepositories ${repository}`, error);
  }
  try {
    await call(host, 'CreateRepository', { registryId: account, repositoryName: repository });
    return 'created';
  } catch (error) {
    if ((error as { name?: string }).name === 'RepositoryAlreadyExistsException') return 'exists';
    throw awsError(`ECR CreateRepository ${repository}`, error);
  }
}

function awsError(action: string, error: unknown): ChartshipError {
  if (error instanceof ChartshipError) return error;
  const { name = 'Error', message = String(error) } = error as { name?: string; message?: string };
  const said = redactText(message).split('\n')[0]!.slice(0, 300);
  if (name === 'CredentialsProviderError') {
    return new ChartshipError(`${action}: no AWS credentials were found (${said})`, {
      code: 'AWS_CREDENTIALS',
      hint: 'configure them before chartship runs: aws-actions/configure-aws-credentials (role-to-assume with OIDC), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, or a container or instance role',
      cause: error,
    });
  }
  if (name === 'UnsupportedCredentialSource') {
    return new ChartshipError(`${action}: ${said}`, {
      code: 'AWS_CREDENTIALS',
      hint: 'export the credentials first, e.g. eval "$(aws configure export-credentials --format env)", or use another source (README, Amazon ECR)',
      cause: error,
    });
  }
  const denied = /AccessDenied|UnrecognizedClient|InvalidSignature|SignatureDoesNotMatch|ExpiredToken|InvalidClientTokenId|InvalidIdentityToken/i.test(name);
  // A role assumption that STS refused is about the role's trust policy, not about ECR's permissions.
  const assuming = error instanceof AwsApiError && error.service === 'sts';
  return new ChartshipError(`${action} failed: ${name}: ${said}`, {
    code: denied ? 'AWS_DENIED' : 'ECR_API',
    hint: !denied
      ? undefined
      : assuming
        ? "the role's trust policy must let this identity assume it (sts:AssumeRole, or sts:AssumeRoleWithWebIdentity for an OIDC token whose audience is sts.amazonaws.com)"
        : 'the AWS identity needs ecr:GetAuthorizationToken, ecr:DescribeRepositories and ecr:CreateRepository (for create-repositories)',
    cause: error,
  });
}
