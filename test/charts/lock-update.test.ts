import assert from 'node:assert/strict';
import { it } from 'node:test';
import { updatedLock } from '../../src/charts/lock-update.js';
import { hashRequirements, type ChartLock, type LockedDependency } from '../../src/charts/lockfile.js';
import type { ChartDependency } from '../../src/model/metadata.js';

const GENERATED = '2025-03-01T10:00:00.5+01:00';
const common = (version: string): ChartDependency => ({ name: 'common', version, repository: 'file://../common' });

/** A lock helm would take as in sync with `requested` (its `@name` repositories as the URL locked). */
function lockOf(requested: ChartDependency[], dependencies: LockedDependency[]): ChartLock {
  return { dependencies, digest: hashRequirements(requested, dependencies), generated: GENERATED };
}

it('pins the released file:// chart, hashes the @name repositories as the URLs locked, and keeps the other pins and the time', () => {
  const redis = { name: 'redis', version: '^18.0.0', repository: '@bitnami' };
  const url = 'https://charts.example.com/bitnami';
  const lock = lockOf([common('~1.0.0'), { ...redis, repository: url }], [
    { name: 'common', version: '1.0.0', repository: 'file://../common' },
    { name: 'redis', version: '18.2.0', repository: url },
  ]);
  const localVersion = (dep: ChartDependency) => (dep.repository === 'file://../common' ? '1.1.0' : undefined);
  const updated = updatedLock(lock, { apiVersion: 'v2', before: [common('~1.0.0'), redis], after: [common('~1.1.0'), redis], localVersion });
  const dependencies = [
    { name: 'common', version: '1.1.0', repository: 'file://../common' },
    { name: 'redis', version: '18.2.0', repository: url },
  ];
  assert.deepEqual(updated, { dependencies, digest: hashRequirements([common('~1.1.0'), { ...redis, repository: url }], dependencies), generated: GENERATED });
});

it('leaves a lock alone that was out of sync before, that nothing changes, or whose kept pin the new constraint excludes', () => {
  const stale = { ...lockOf([common('~0.9.0')], [{ name: 'common', version: '0.9.0', repository: 'file://../common' }]) };
  assert.equal(updatedLock(stale, { apiVersion: 'v2', before: [common('~1.0.0')], after: [common('~1.1.0')], localVersion: () => '1.1.0' }), undefined);

  const current = lockOf([common('~1.1.0')], [{ name: 'common', version: '1.1.0', repository: 'file://../common' }]);
  assert.equal(updatedLock(current, { apiVersion: 'v2', before: [common('~1.1.0')], after: [common('~1.1.0')], localVersion: () => '1.1.0' }), undefined);

  // An oci:// dependency on a chart published elsewhere than this repository publishes it: no local version to pin.
  const oci = (version: string): ChartDependency => ({ name: 'common', version, repository: 'oci://registry.example/charts' });
  const pinned = lockOf([oci('~1.0.0')], [{ name: 'common', version: '1.0.3', repository: 'oci://registry.example/charts' }]);
  assert.equal(updatedLock(pinned, { apiVersion: 'v2', before: [oci('~1.0.0')], after: [oci('~1.1.0')], localVersion: () => undefined }), undefined);
});

it('pins an oci:// dependency on a chart of this repository at the version released, also where the constraint still admits the old pin', () => {
  const oci = (version: string): ChartDependency => ({ name: 'common', version, repository: 'oci://registry.example/charts' });
  for (const [before, after] of [['~1.0.0', '~1.1.0'], ['^1.0.0', '^1.0.0']] as const) {
    const lock = lockOf([oci(before)], [{ name: 'common', version: '1.0.0', repository: 'oci://registry.example/charts' }]);
    const updated = updatedLock(lock, { apiVersion: 'v2', before: [oci(before)], after: [oci(after)], localVersion: () => '1.1.0' });
    const dependencies = [{ name: 'common', version: '1.1.0', repository: 'oci://registry.example/charts' }];
    assert.deepEqual(updated, { dependencies, digest: hashRequirements([oci(after)], dependencies), generated: GENERATED }, before);
  }
});

it('locks a charts/-only dependency at its constraint, as helm does', () => {
  const vendored = (version: string): ChartDependency => ({ name: 'common', version, repository: '' });
  const lock = lockOf([vendored('~1.0.0')], [{ name: 'common', version: '~1.0.0', repository: '' }]);
  const updated = updatedLock(lock, { apiVersion: 'v2', before: [vendored('~1.0.0')], after: [vendored('~1.1.0')], localVersion: () => '1.1.0' });
  assert.deepEqual(updated?.dependencies, [{ name: 'common', version: '~1.1.0', repository: '' }]);
});
