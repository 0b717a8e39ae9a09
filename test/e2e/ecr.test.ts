/**
 * Amazon ECR as users meet it, through the bundled CLI: a registry at `<account>.dkr.ecr.<region>.amazonaws.com`
 * (the real docker-registry behind a TLS front that, like ECR, refuses pushes into repositories that do not exist),
 * the ECR API and STS emulated on loopback (test/helpers/aws.ts) and reached by the real AWS SDK through
 * AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL_STS.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEcrApi, startSts, type AwsEndpoint, type EcrApi } from '../helpers/aws.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { startNamedRegistry, type NamedRegistry } from '../helpers/named-registry.js';
import { chartArchive } from '../helpers/registry-charts.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const ENV_KEY = 'AKIACHARTSHIPENVTEST';
const STS_KEY = 'ASIACHARTSHIPSTSTEST';
const password = `ecr-${Math.random().toString(36).slice(2)}`;
const scratch = mkdtempSync(join(tmpdir(), 'chartship-ecr-'));

let named: NamedRegistry;
let ecr: EcrApi;
let sts: AwsEndpoint;

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
    accessKeys: [ENV_KEY, STS_KEY],
    onCreate: (name) => (named.front.rules = named.front.rules.filter((r) => !r.path.source.startsWith(`^\\/v2\\/${name.replaceAll('/', '\\/')}\\/`))),
  });
  sts = await startSts({
    roleArn: `arn:aws:iam::${ACCOUNT}:role/chartship-publisher`,
    webIdentityToken: 'github-oidc-token-for-the-test',
    issued: { accessKeyId: STS_KEY, secretAccessKey: 'sts-secret-for-the-test', sessionToken: 'sts-session-token-for-the-test' },
  });
  writeFileSync(join(scratch, 'oidc-token'), 'github-oidc-token-for-the-test');
});
after(async () => {
  await Promise.all([named?.stop(), ecr?.stop(), sts?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
});

/** A runner with nothing of AWS but what the test gives (no ~/.aws, no instance metadata). */
function awsEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { HOME: scratch, HTTPS_PROXY: named.proxy.url, AWS_ENDPOINT_URL_ECR: ecr.url, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

const fromEnv = () => awsEnv({ AWS_ACCESS_KEY_ID: ENV_KEY, AWS_SECRET_ACCESS_KEY: 'env-secret-for-the-test' });

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
    for (const call of ecr.calls) assert.deepEqual([call.accessKey, call.region, call.service], [ENV_KEY, REGION, 'ecr']);
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
    const env = awsEnv({ AWS_WEB_IDENTITY_TOKEN_FILE: join(scratch, 'oidc-token'), AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/chartship-publisher`, AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: REGION });
    const run = await runBundledCli(['push', archive('web'), `oci://${HOST}/oidc`, '--ca-file', named.caFile, '--create-repositories'], { cwd: scratch, env });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sts.calls.map((c) => [c.operation, c.body['RoleArn'], c.body['tokenMatched']]), [['AssumeRoleWithWebIdentity', `arn:aws:iam::${ACCOUNT}:role/chartship-publisher`, true]]);
    const mine = ecr.calls.slice(before);
    assert.deepEqual([...new Set(mine.map((c) => c.operation))].sort(), ['CreateRepository', 'DescribeRepositories', 'GetAuthorizationToken']);
    for (const call of mine) assert.deepEqual([call.accessKey, call.sessionToken], [STS_KEY, 'sts-session-token-for-the-test']);
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
});
