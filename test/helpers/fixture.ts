import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { createRepo, type TestRepo } from './git.js';
import { start as startGitHubApi, type GitHubApi } from './github-api.js';
import { startRegistry, type RegistryOptions, type TestRegistry } from './registry.js';

export interface RegistryFixture {
  repo: TestRepo;
  scratch: string;
  /**
   * Started before the file's tests run. Not before the file's own top-level `before` hooks: node 20 starts those beside
   * this one without waiting for it, so they must not use the registry.
   */
  readonly registry: TestRegistry;
  /** With `githubToken`: the OpenAPI-checked local GitHub API, started beside the registry. */
  readonly github: GitHubApi;
  /** The versions the registry holds of `chart` under `namespace` (sorted), read as chartship reads them. */
  versions(namespace: string, chart: string): Promise<string[]>;
}

export interface FixtureExtras {
  /** Start the local GitHub API too, accepting this token. */
  githubToken?: string;
  /** Runs once the servers are up (commits, API state the tests start from). */
  setup?: (fixture: RegistryFixture) => void | Promise<void>;
}

/**
 * What an end-to-end file usually starts from: a repository, a scratch directory and a registry (anonymous unless
 * told otherwise), made before the file's tests and removed after them.
 */
export function registryFixture(name: string, options: RegistryOptions = { auth: 'none' }, more: FixtureExtras = {}): RegistryFixture {
  const repo = createRepo(`chartship-${name}-`);
  const scratch = mkdtempSync(join(tmpdir(), `chartship-${name}-`));
  let registry: TestRegistry | undefined;
  let github: GitHubApi | undefined;
  before(async () => {
    registry = await startRegistry(options);
    if (more.githubToken !== undefined) github = await startGitHubApi({ token: more.githubToken });
    // In the same hook: node 20 may run a file's own top-level hooks beside this one.
    await more.setup?.(fixture);
  });
  after(async () => {
    await github?.stop();
    await registry?.stop();
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });
  const fixture: RegistryFixture = {
    repo,
    scratch,
    get github() {
      if (!github) throw new Error('the GitHub API is started before the tests run, when the fixture is given githubToken');
      return github;
    },
    get registry() {
      if (!registry) throw new Error('the registry is started before the tests run');
      return registry;
    },
    async versions(namespace, chart) {
      const target = openTarget(`oci://${this.registry.host}/${namespace}`, {
        plainHttp: !options.tls,
        ...(options.tls ? { caFile: this.registry.caFile } : {}),
        ...(this.registry.username ? { username: this.registry.username, password: this.registry.password } : {}),
        env: { HOME: scratch },
      });
      try {
        return (await target.listVersions(chart)).sort();
      } finally {
        await target.close();
      }
    },
  };
  return fixture;
}
