/**
 * What the tests of dependencies from a private classic chart repository share: the repository's credentials and the
 * library chart it serves.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartYaml, writeFiles } from '../package/fixtures.js';
import type { ClassicChart } from './classic-repo.js';
import { isolatedHelm } from './helm.js';

/** Basic credentials with a password of this test process's own, and the `Authorization` value they make. */
export function privateCredentials(): { username: string; password: string; basic: string } {
  const username = 'ci-bot';
  const password = `s3cret-${randomBytes(8).toString('hex')}`;
  return { username, password, basic: Buffer.from(`${username}:${password}`).toString('base64') };
}

/** The private library chart `lib` 1.2.0 (a ConfigMap named lib), packaged by the real helm. */
export async function libraryCharts(): Promise<ClassicChart[]> {
  const dir = writeFiles(mkdtempSync(join(tmpdir(), 'chartship-lib-')), {
    'lib/Chart.yaml': chartYaml('lib', '1.2.0'),
    'lib/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: lib\n',
  });
  const helm = isolatedHelm(4);
  try {
    await helm.run(['package', join(dir, 'lib'), '-d', dir]);
    return [{ file: 'lib-1.2.0.tgz', archive: readFileSync(join(dir, 'lib-1.2.0.tgz')) }];
  } finally {
    helm.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The files of chart `app` 0.1.0 (a ConfigMap named app) depending on `lib` ^1.0.0 from `repository`, under `dir`. */
export function appFiles(repository: string, dir = 'app'): Record<string, string> {
  return {
    [`${dir}/Chart.yaml`]: chartYaml('app', '0.1.0', `dependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: "${repository}"\n`),
    [`${dir}/templates/cm.yaml`]: 'kind: ConfigMap\nmetadata:\n  name: app\n',
  };
}
