import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { x as untar } from 'tar';
import type { Helm } from './helm.js';

/** The `generated:` line of a lock (helm stamps the wall clock there). */
export const generated = (lock: string): string | undefined => /^generated: .*$/m.exec(lock)?.[0];

/** The named file of a chart archive. */
export function archived(scratch: string, archive: string, name: string): string {
  const out = mkdtempSync(join(scratch, 'untar-'));
  untar({ file: archive, cwd: out, sync: true });
  return readFileSync(join(out, name), 'utf8');
}

export interface LockedTree {
  scratch: string;
  /** A checkout of the committed tree. */
  tree: string;
  /** Each lock's path in the tree and its committed text. */
  committed: Record<string, string>;
  /** The archives `helm dependency build` must fetch for each lock, by its path. */
  fetched: Record<string, string[]>;
  /** Extra arguments for helm's dependency commands (`--plain-http`). */
  args?: string[];
}

/**
 * What the real helm makes of a committed tree: `helm dependency build` takes every lock as in sync and fetches what it
 * pins; `helm dependency update` on a copy computes the same digest, so it leaves the lock as it is; and on a copy
 * without the lock it writes the same text but for the time it stamps.
 */
export async function assertLocksAsHelmHasThem(locked: LockedTree, helm: Helm, label: string): Promise<void> {
  const { scratch, tree, committed, args = [] } = locked;
  for (const [index, [lock, text]] of Object.entries(committed).entries()) {
    const built = join(scratch, `${label}-build-${index}`);
    cpSync(tree, built, { recursive: true });
    const said = await helm.run(['dependency', 'build', join(built, dirname(lock)), ...args]);
    assert.doesNotMatch(said, /out of sync|can't get a valid version/, `${label} ${lock}`);
    for (const archive of locked.fetched[lock] ?? []) assert.ok(existsSync(join(built, dirname(lock), 'charts', archive)), `${label} ${lock} ${archive}: ${said}`);

    const updated = join(scratch, `${label}-update-${index}`);
    cpSync(tree, updated, { recursive: true });
    await helm.run(['dependency', 'update', join(updated, dirname(lock)), ...args]);
    assert.equal(readFileSync(join(updated, lock), 'utf8'), text, `${label} ${lock}: helm's digest is the committed one`);

    rmSync(join(updated, lock));
    await helm.run(['dependency', 'update', join(updated, dirname(lock)), ...args]);
    const fresh = readFileSync(join(updated, lock), 'utf8');
    assert.equal(fresh.replace(generated(fresh)!, generated(text)!), text, `${label} ${lock}: as helm writes it`);
  }
}

/**
 * The archive a run pushed (`helm pull` of `repository/chart`) holds the lock `helm dependency build && helm package`
 * makes of the committed tree.
 */
export async function assertArchivedLockAsHelmPackages(locked: LockedTree, helm: Helm, pushed: { repository: string; chart: string; version: string; lock: string }): Promise<void> {
  const { scratch, tree, args = [] } = locked;
  const { repository, chart, version, lock } = pushed;
  const pulled = mkdtempSync(join(scratch, 'pulled-'));
  await helm.run(['pull', `${repository}/${chart}`, '--version', version, '-d', pulled, '--plain-http']);
  const packaged = mkdtempSync(join(scratch, 'packaged-'));
  const built = mkdtempSync(join(scratch, `package-${chart}-`));
  cpSync(tree, built, { recursive: true });
  await helm.run(['dependency', 'build', join(built, dirname(lock)), ...args]);
  await helm.run(['package', join(built, dirname(lock)), '-d', packaged]);
  const name = `${chart}/${lock.split('/').pop()}`;
  assert.equal(archived(scratch, join(pulled, `${chart}-${version}.tgz`), name), archived(scratch, join(packaged, `${chart}-${version}.tgz`), name), chart);
}
