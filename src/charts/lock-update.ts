import type { ChartDependency } from '../model/metadata.js';
import { hashRequirements, lockInSync, type ChartLock, type LockedDependency } from './lockfile.js';
import { satisfies, toRange } from './version-range.js';

export interface LockUpdate {
  /** helm's apiVersion of the chart (a v1 lock may carry helm 2's digest). */
  apiVersion: string;
  /** The dependencies as helm reads them (requirements.yaml over Chart.yaml), before and after the edits. */
  before: ChartDependency[];
  after: ChartDependency[];
  /**
   * The version to pin a dependency on a chart of this repository at (by `file://`, or by `oci://` where it is
   * published), when it is one whose version is known; undefined for any other.
   */
  localVersion: (dep: ChartDependency) => string | undefined;
}

/**
 * The lock `helm dependency update` leaves after Chart.yaml's dependencies changed and local charts moved to new
 * versions: a `file://` entry pins the version of the chart at that path, an `oci://` one on a chart this repository
 * publishes there the version released (also where the constraint still admits the old pin: the dependent is
 * released to carry it, and helm would pick it as the newest), a charts/-only entry its constraint, and the digest is
 * helm's HashReq of the new pair, so `helm dependency build` takes it as in sync. Other pins are kept, and a
 * lock that was not in sync before is left alone: helm would resolve every dependency again, which is not this
 * edit's to do. `generated` is kept too: helm stamps the wall clock there, which would change the committed lock, and
 * the dependent's archive that helm re-marshals it into, on every run of the same commit; helm never reads it back.
 * undefined when the lock is to stay as it is.
 */
export function updatedLock(lock: ChartLock, update: LockUpdate): ChartLock | undefined {
  const before = withLockedUrls(update.before, lock.dependencies);
  if (!lockInSync(update.apiVersion, before, lock)) return undefined;
  const after = withLockedUrls(update.after, lock.dependencies);
  const dependencies = lock.dependencies.map((entry, i) => {
    const dep = after[i];
    if (dep === undefined || dep.name !== entry.name || (dep.repository ?? '') !== entry.repository) return entry;
    const version = entry.repository === '' ? dep.version : update.localVersion(dep);
    return version === undefined ? entry : { ...entry, version };
  });
  // A pin left as it was (oci://, https://) that the new constraint no longer admits: helm dependency build would
  // fetch it all the same once the digest says in sync, so the lock stays out of sync until it is resolved again.
  const admitted = dependencies.every((entry, i) => {
    if (entry.repository === '') return true;
    const range = toRange(after[i]?.version);
    return range !== undefined && satisfies(entry.version, range);
  });
  const digest = hashRequirements(after, dependencies);
  if (!admitted || digest === lock.digest) return undefined;
  return { dependencies, digest, generated: lock.generated };
}

/**
 * helm hashes a `@name` or `alias:name` repository as the URL `helm repo add` gave the name, and locks that URL: the
 * lock's entry at the same place has it, and the digest check confirms the substitution.
 */
function withLockedUrls(deps: ChartDependency[], locked: LockedDependency[]): ChartDependency[] {
  return deps.map((dep, i) => {
    const entry = locked[i];
    return /^(@|alias:)/.test(dep.repository ?? '') && entry?.name === dep.name ? { ...dep, repository: entry.repository } : dep;
  });
}
