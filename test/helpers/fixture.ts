import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { createRepo, type TestRepo } from './git.js';
import { startRegistry, type RegistryOptions, type TestRegistry } from './registry.js';

export interface RegistryFixture {
  repo: TestRepo;
  scratch: string;
  /**
   * Started before the file's tests run. Not before the file's own top-level `before` hooks: node 20 starts those beside
   * this one without waiting for it, so they must not use the registry.
   */
  readonly registry: TestRegistry;
  /** The versions the registry holds of `chart` under `namespace` (sorted), read as chartship reads them. */
  versions(namespace: string, chart: string): Promise<string[]>;
}

/**
 * What an end-to-end file usually starts from: a repository, a scratch directory and a registry (anonymous unless
 * told otherwise), made before the file's tests and removed after them.
 */
export function registryFixture(name: string, options: RegistryOptions = { auth: 'none' }): RegistryFixture {
  const repo = createRepo(`chartship-${name}-`);
  const scratch = mkdtempSync(join(tmpdir(), `chartship-${name}-`));
  let registry: TestRegistry | undefined;
  before(async () => {
    registry = await startRegistry(options);
  });
  after(async () => {
    await registry?.stop();
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });
  return {
    repo,
    scratch,
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
}
