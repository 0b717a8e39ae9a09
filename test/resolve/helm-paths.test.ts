/**
 * Where chartship looks for helm's repositories.yaml and registry logins, against where the real helm 3 and 4 say
 * they keep them (`helm env`), for the environments a CI job gives both.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { configPaths } from '../../src/oci/credentials.js';
import { repositoriesFile } from '../../src/resolve/repository-names.js';
import { HELM_MAJORS, helmBinary } from '../helpers/helm.js';

const run = promisify(execFile);

const environments: Record<string, NodeJS.ProcessEnv> = {
  'HOME alone': { HOME: '/home/ci' },
  XDG_CONFIG_HOME: { HOME: '/home/ci', XDG_CONFIG_HOME: '/xdg' },
  'HELM_CONFIG_HOME (a CI image keeping helm in the job directory)': { HOME: '/home/ci', XDG_CONFIG_HOME: '/xdg', HELM_CONFIG_HOME: '/builds/project/.helm' },
};

describe('helm configuration paths as helm finds them', () => {
  for (const major of HELM_MAJORS) {
    for (const [label, env] of Object.entries(environments)) {
      it(`helm ${major}, ${label}`, async () => {
        const { stdout } = await run(helmBinary(major), ['env'], { env: { PATH: process.env['PATH'], ...env } });
        const said = (name: string) => new RegExp(`^${name}="(.*)"$`, 'm').exec(stdout)?.[1];
        assert.equal(repositoriesFile(env), said('HELM_REPOSITORY_CONFIG'));
        assert.equal(configPaths({ env })[0], said('HELM_REGISTRY_CONFIG'));
      });
    }
  }
});
