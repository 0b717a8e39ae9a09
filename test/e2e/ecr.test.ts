/**
 * Amazon ECR as users meet it, through the bundled CLI: a registry at `<account>.dkr.ecr.<region>.amazonaws.com`
 * (the real docker-registry behind a TLS front that, like ECR, refuses pushes into repositories that do not exist),
 * the ECR API, STS, the container credentials endpoint and instance metadata emulated on loopback
 * (test/helpers/aws.ts), reached through AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL_STS and the credential sources' own
 * variables. The emulated APIs check every SigV4 signature with aws4 and refuse a wrong secret, as AWS does.
 * Each credential source README's Amazon ECR section lists is exercised here, in the chain's order.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startContainerCredentials, startEcrApi, startInstanceMetadata, startSts, type AwsEndpoint, type EcrApi, type MetadataEndpoint } from '../helpers/aws.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { startNamedRegistry, type NamedRegistry } from '../helpers/named-registry.js';
import { chartArchive } from '../helpers/registry-charts.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const ENV_KEY = 'AKIACHARTSHIPENVTEST';
const ENV_SECRET = 'env-secret-for-the-test';
const PROFILE_KEY = 'AKIACHARTSHIPPROFILE';
const PROFILE_SECRET = 'profile-secret-for-the-test';
const STS_KEY = 'ASIACHARTSHIPSTSTEST';
const STS_SECRET = 'sts-secret-for-the-test';
const CONTAINER_KEY = 'ASIACHARTSHIPCONTAIN';
const IMDS_KEY = 'ASIACHARTSHIPIMDSTES';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/chartship-publisher`;
const CONTAINER_TOKEN = 'container-authorization-token-for-the-test';
const password = `ecr-${Math.random().toString(36).slice(2)}`;
const scratch = mkdtempSync(join(tmpdir(), 'chartship-ecr-'));

let named: NamedRegistry;
let ecr: EcrApi;
let sts: AwsEndpoint;
let container: MetadataEndpoint;
let imds: MetadataEndpoint;

/** ECR answers a push into a repository that does not exist with 404 NAME_UNKNOWN, until CreateRepository makes it. */
function mustExist(repository: string): void {
  named.front.rules.push({
    method: 'POST',
    path: new RegExp(`^/v2/${repository}/blobs/uploads/`),
    fault: { kind: 'status', status: 404, errors: [{ code: 'NAME_UNKNOWN', message: `The repository with name '${repository}' does not exist in the registry with id '${ACCOUNT}'` }] },
    times: Number.POSITIVE_INFINITY,
  });
}

before(async () => {
  named = await startNamedRegistry([HOST], { auth: 'htpasswd', users: { AWS: password } });
  ecr = await startEcrApi({
    account: ACCOUNT,
    region: REGION,
    password,
    keys: { [ENV_KEY]: ENV_SECRET, [PROFILE_KEY]: PROFILE_SECRET, [STS_KEY]: STS_SECRET, [CONTAINER_KEY]: 'container-secret-for-the-test', [IMDS_KEY]: 'imds-secret-for-the-test' },
    onCreate: (name) => (named.front.rules = named.front.rules.filter((r) => !r.path.source.startsWith(`^\\/v2\\/${name.replaceAll('/', '\\/')}\\/`))),
  });
  sts = await startSts({
    roleArn: ROLE_ARN,
    webIdentityToken: 'github-oidc-token-for-the-test',
    keys: { [PROFILE_KEY]: PROFILE_SECRET },
    issued: { accessKeyId: STS_KEY, secretAccessKey: STS_SECRET, sessionToken: 'sts-session-token-for-the-test' },
  });
  container = await startContainerCredentials({
    token: CONTAINER_TOKEN,
    issued: { accessKeyId: CONTAINER_KEY, secretAccessKey: 'container-secret-for-the-test', sessionToken: 'container-session-token' },
  });
  imds = await startInstanceMetadata({ role: 'chartship-node', issued: { accessKeyId: IMDS_KEY, secretAccessKey: 'imds-secret-for-the-test', sessionToken: 'imds-session-token' } });
  writeFileSync(join(scratch, 'oidc-token'), 'github-oidc-token-for-the-test');
  writeFileSync(join(scratch, 'container-token'), CONTAINER_TOKEN);
  // What `aws sso login` leaves for the session `corp`: a valid token, so the chain goes on to IAM Identity Center.
  mkdirSync(join(scratch, '.aws', 'sso', 'cache'), { recursive: true });
  writeFileSync(
    join(scratch, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`),
    JSON.stringify({ startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1', accessToken: 'sso-access-token', expiresAt: new Date(Date.now() + 3600_000).toISOString() }),
  );
  writeFileSync(join(scratch, 'credentials'), `[ci]\naws_access_key_id = ${PROFILE_KEY}\naws_secret_access_key = ${PROFILE_SECRET}\n`);
  writeFileSync(
    join(scratch, 'config'),
    [
      '[profile publisher]',
      `role_arn = ${ROLE_ARN}`,
      'source_profile = ci',
      '[profile from-process]',
      `credential_process = ${JSON.stringify(process.execPath)} -e "process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'${PROFILE_KEY}',SecretAccessKey:'${PROFILE_SECRET}'}))"`,
      '[profile sso]',
      'sso_session = corp',
      `sso_account_id = ${ACCOUNT}`,
      'sso_role_name = publisher',
      '[sso-session corp]',
      'sso_region = us-east-1',
      'sso_start_url = https://corp.awsapps.com/start',
      '',
    ].join('\n'),
  );
});
after(async () => {
  await Promise.all([named?.stop(), ecr?.stop(), sts?.stop(), container?.stop(), imds?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
});

/** A runner with nothing of AWS but what the test gives (no ~/.aws, no instance metadata). */
function awsEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { HOME: scratch, HTTPS_PROXY: named.proxy.url, AWS_ENDPOINT_URL_ECR: ecr.url, AWS_ENDPOINT_URL_STS: sts.url, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

const fromEnv = () => awsEnv({ AWS_ACCESS_KEY_ID: ENV_KEY, AWS_SECRET_ACCESS_KEY: ENV_SECRET });
const profiles = (profile: string) => awsEnv({ AWS_PROFILE: profile, AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'credentials'), AWS_CONFIG_FILE: join(scratch, 'config') });

/** Pushes `name` into a repository that exists (ECR's calls are the point), and answers the ECR calls it made. */
async function pushWith(env: NodeJS.ProcessEnv, name: string) {
  const before = ecr.calls.length;
  mustExist(`sources/${name}`);
  const run = await runBundledCli(['push', archive(name), `oci://${HOST}/sources`, '--ca-file', named.caFile, '--create-repositories'], { cwd: scratch, env });
  return { run, calls: ecr.calls.slice(before) };
}

/** Every call signed by `key` (with `sessionToken`, or none), with a signature aws4 computes the same, and accepted. */
function assertSignedBy(calls: { accessKey?: string; sessionToken?: string; signatureValid?: boolean; operation: string }[], key: string, sessionToken?: string) {
  assert.deepEqual([...new Set(calls.map((c) => c.operation))].sort(), ['CreateRepository', 'DescribeRepositories', 'GetAuthorizationToken']);
  for (const call of calls) assert.deepEqual([call.accessKey, call.sessionToken, call.signatureValid], [key, sessionToken, true]);
}

function archive(name: string): string {
  const file = join(scratch, `${name}-1.0.0.tgz`);
  writeFileSync(file, chartArchive({ name, version: '1.0.0' }));
  return file;
}

describe('ECR (emulated API, real registry)', () => {
  it('push --create-repositories: credentials from the environment create the missing repository, and GetAuthorizationToken logs in', async () => {
    mustExist('charts/web');
    const run = await runBundledCli(['push', archive('web'), `oci://${HOST}/charts`, '--ca-file', named.caFile, '--create-repositories'], { cwd: scratch, env: fromEnv() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^Pushed: ${HOST}/charts/web:1.0.0$`, 'm'));
    assert.match(run.stderr, new RegExp(`created the ECR repository charts/web in ${HOST}`));
    const calls = (operation: string) => ecr.calls.filter((c) => c.operation === operation).map((c) => c.body);
    assert.deepEqual(calls('DescribeRepositories'), [{ registryId: ACCOUNT, repositoryNames: ['charts/web'] }]);
    assert.deepEqual(calls('CreateRepository'), [{ registryId: ACCOUNT, repositoryName: 'charts/web' }]);
    assert.deepEqual(calls('GetAuthorizationToken'), [{}]);
    for (const call of ecr.calls) assert.deepEqual([call.accessKey, call.region, call.service, call.signatureValid], [ENV_KEY, REGION, 'ecr', true]);
    assert.ok(ecr.repositories.has('charts/web'));
    const seen = await named.registry.settle();
    assert.ok(seen.some((e) => e.method === 'PUT' && e.path === '/v2/charts/web/manifests/1.0.0' && e.status === 201), JSON.stringify(seen));
  });

  it('push without --create-repositories: ECR refuses the missing repository, and the message says how to get it made', async () => {
    mustExist('charts/api');
    const run = await runBundledCli(['push', archive('api'), `oci://${HOST}/charts`, '--ca-file', named.caFile], { cwd: scratch, env: fromEnv() });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, /NAME_UNKNOWN: The repository with name 'charts\/api' does not exist/);
    assert.match(run.stderr, /create-repositories: true \(CLI --create-repositories\)/);
    assert.ok(!ecr.repositories.has('charts/api'));
  });

  it('web identity (GitHub OIDC): the token file is traded at STS, and the temporary credentials sign the ECR calls', async () => {
    mustExist('oidc/web');
    const before = ecr.calls.length;
    const stsBefore = sts.calls.length;
    const env = awsEnv({ AWS_WEB_IDENTITY_TOKEN_FILE: join(scratch, 'oidc-token'), AWS_ROLE_ARN: ROLE_ARN, AWS_REGION: REGION });
    const run = await runBundledCli(['push', archive('web'), `oci://${HOST}/oidc`, '--ca-file', named.caFile, '--create-repositories'], { cwd: scratch, env });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sts.calls.slice(stsBefore).map((c) => [c.operation, c.body['RoleArn'], c.body['tokenMatched'], c.accessKey]), [['AssumeRoleWithWebIdentity', ROLE_ARN, true, undefined]]);
    assertSignedBy(ecr.calls.slice(before), STS_KEY, 'sts-session-token-for-the-test');
  });

  it('web identity with a token STS refuses: the error names STS and the role trust policy, not ECR permissions', async () => {
    writeFileSync(join(scratch, 'wrong-oidc-token'), 'a-token-for-another-audience');
    const { run, calls } = await pushWith(awsEnv({ AWS_WEB_IDENTITY_TOKEN_FILE: join(scratch, 'wrong-oidc-token'), AWS_ROLE_ARN: ROLE_ARN }), 'refused');
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, /failed: InvalidIdentityToken: STS AssumeRoleWithWebIdentity: Incorrect token audience/);
    assert.match(run.stderr, /trust policy must let this identity assume it/);
    assert.doesNotMatch(run.stderr, /needs ecr:GetAuthorizationToken/);
    assert.ok(!run.stderr.includes('a-token-for-another-audience'), run.stderr);
    assert.deepEqual(calls, []);
  });

  it('publish at concurrency: three charts, each repository created once, every push logged in with one token', async () => {
    const repo = createRepo();
    try {
      repo.commit('feat: three charts', { ...chartFiles('charts/one', 'one', '1.0.0'), ...chartFiles('charts/two', 'two', '1.0.0'), ...chartFiles('charts/three', 'three', '1.0.0') });
      for (const name of ['one', 'two', 'three']) mustExist(`team/${name}`);
      const before = ecr.calls.length;
      const run = await runBundledCli(['publish', '--registry', `oci://${HOST}/team`, '--ca-file', named.caFile, '--create-repositories', '--json'], { cwd: repo.dir, env: fromEnv() });
      assert.equal(run.code, 0, run.stderr);
      const outcome = JSON.parse(run.stdout) as { charts: { name: string; status: string }[] };
      assert.deepEqual(outcome.charts.map((c) => `${c.name} ${c.status}`).sort(), ['one pushed', 'three pushed', 'two pushed']);
      const created = ecr.calls.slice(before).filter((c) => c.operation === 'CreateRepository').map((c) => c.body['repositoryName']);
      assert.deepEqual(created.sort(), ['team/one', 'team/three', 'team/two']);
      assert.equal(ecr.calls.slice(before).filter((c) => c.operation === 'GetAuthorizationToken').length, 1);
      for (const name of ['one', 'two', 'three']) assert.match(run.stderr, new RegExp(`created the ECR repository team/${name}`));
    } finally {
      repo.cleanup();
    }
  });

  it('no AWS credentials anywhere: the refusal says where credentials come from, not "none were found" alone', async () => {
    const run = await runBundledCli(['push', archive('web'), `oci://${HOST}/charts`, '--ca-file', named.caFile], { cwd: scratch, env: awsEnv({}) });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, new RegExp(`ECR GetAuthorizationToken for ${HOST}: no AWS credentials were found`));
    assert.match(run.stderr, /aws-actions\/configure-aws-credentials/);
  });

  it('a wrong secret: the emulated ECR recomputes the signature, refuses it, and nothing is created', async () => {
    const { run, calls } = await pushWith(awsEnv({ AWS_ACCESS_KEY_ID: ENV_KEY, AWS_SECRET_ACCESS_KEY: 'not-the-secret' }), 'wrong');
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, /ECR (?:GetAuthorizationToken for \S+|DescribeRepositories sources\/wrong) failed: InvalidSignatureException: The request signature we calculated does not match/);
    assert.ok(!run.stderr.includes('not-the-secret'), run.stderr);
    assert.ok(calls.length > 0);
    for (const call of calls) assert.deepEqual([call.accessKey, call.signatureValid], [ENV_KEY, false]);
    assert.ok(!calls.some((c) => c.operation === 'CreateRepository'));
    assert.ok(!ecr.repositories.has('sources/wrong'));
  });

  it('environment keys come first: with a web identity token also set, STS is not asked', async () => {
    const stsBefore = sts.calls.length;
    const { run, calls } = await pushWith({ ...fromEnv(), AWS_WEB_IDENTITY_TOKEN_FILE: join(scratch, 'oidc-token'), AWS_ROLE_ARN: ROLE_ARN }, 'first');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(sts.calls.length, stsBefore);
    assertSignedBy(calls, ENV_KEY);
  });

  it('a profile in AWS_SHARED_CREDENTIALS_FILE (AWS_PROFILE) signs the calls', async () => {
    const { run, calls } = await pushWith(profiles('ci'), 'profile');
    assert.equal(run.code, 0, run.stderr);
    assertSignedBy(calls, PROFILE_KEY);
  });

  it('a profile with role_arn and source_profile: STS AssumeRole, signed with the source profile, gives the keys', async () => {
    const stsBefore = sts.calls.length;
    const { run, calls } = await pushWith(profiles('publisher'), 'assumed');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sts.calls.slice(stsBefore).map((c) => [c.operation, c.body['RoleArn'], c.accessKey, c.signatureValid]), [['AssumeRole', ROLE_ARN, PROFILE_KEY, true]]);
    assertSignedBy(calls, STS_KEY, 'sts-session-token-for-the-test');
  });

  it('a profile with credential_process: the process prints the keys', async () => {
    const { run, calls } = await pushWith(profiles('from-process'), 'process');
    assert.equal(run.code, 0, run.stderr);
    assertSignedBy(calls, PROFILE_KEY);
  });

  it('an IAM Identity Center (SSO) profile is refused, saying it is not supported and what to do instead', async () => {
    const { run, calls } = await pushWith(profiles('sso'), 'sso');
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, /IAM Identity Center \(SSO\) profiles and `aws login` sessions are not supported/);
    assert.match(run.stderr, /aws configure export-credentials/);
    assert.deepEqual(calls, []);
  });

  it('container credentials (ECS, EKS Pod Identity): AWS_CONTAINER_CREDENTIALS_FULL_URI with the token file', async () => {
    const seen = container.requests.length;
    const { run, calls } = await pushWith(awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: container.url, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(scratch, 'container-token') }), 'container');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(container.requests.slice(seen), [{ method: 'GET', path: '/v1/credentials', authorized: true }]);
    assertSignedBy(calls, CONTAINER_KEY, 'container-session-token');
  });

  it('instance metadata (EC2 role), IMDSv2 at AWS_EC2_METADATA_SERVICE_ENDPOINT, when nothing else is configured', async () => {
    const seen = imds.requests.length;
    const env = awsEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
    delete env['AWS_EC2_METADATA_DISABLED'];
    const { run, calls } = await pushWith(env, 'instance');
    assert.equal(run.code, 0, run.stderr);
    const requests = imds.requests.slice(seen);
    assert.deepEqual(requests[0], { method: 'PUT', path: '/latest/api/token', authorized: false });
    assert.ok(requests.slice(1).every((r) => r.method === 'GET' && r.authorized), JSON.stringify(requests));
    assertSignedBy(calls, IMDS_KEY, 'imds-session-token');
  });
});
