import type { Git } from './git.js';
import { resolveCommit } from './refs.js';

/**
 * Of `paths` (directories relative to the repository root), those that commits on `origin/<branch>` after `head`
 * change: the branch moved on past the commit a run is for (an old run re-run). Empty when the branch has no
 * remote-tracking ref (a local run, a checkout of one commit) or `head` is its tip. A checkout with full history
 * (actions/checkout with fetch-depth: 0) fetches the branch as it is when the run starts, re-runs included.
 */
export async function changedAheadOf(git: Git, head: string, branch: string | undefined, paths: string[]): Promise<Set<string>> {
  const changed = new Set<string>();
  if (!branch || paths.length === 0) return changed;
  const tip = await resolveCommit(git, `refs/remotes/origin/${branch}`);
  if (!tip || tip === head) return changed;
  const out = await git.run(['log', '--format=', '--name-only', '--no-renames', `${head}..${tip}`, '--', ...paths.map((p) => p || '.')], { allowFailure: true });
  if (out.code !== 0) return changed;
  const files = out.stdout.split('\n').filter(Boolean);
  for (const path of paths) if (files.some((f) => path === '' || f === path || f.startsWith(`${path}/`))) changed.add(path);
  return changed;
}
