import type { Git } from './git.js';

export interface FileChange {
  /** `A`, `M`, `D`, `T`, `R` (renamed) or `C` (copied): the first letter of git's status. */
  status: string;
  path: string;
  /** The old path of a rename or copy. */
  from?: string;
}

export interface CommitRecord {
  sha: string;
  parents: string[];
  message: string;
  /** Files changed against the first parent; empty for merge commits (their changes arrive with the merged commits). */
  files: FileChange[];
}

const RS = '\x1e';
const US = '\x1f';

/**
 * One `git log` over the whole range, children before parents, with renames detected. One call instead of one per
 * chart keeps planning fast on large monorepos.
 */
export async function readHistory(git: Git, revisions: string[]): Promise<CommitRecord[]> {
  const { stdout } = await git.run([
    '-c', 'log.showSignature=false',
    'log', '-z', '--name-status', '-M', '--topo-order', '--no-color', '--no-ext-diff',
    `--format=${RS}%H${US}%P${US}%B${US}`,
    ...revisions, '--',
  ]);
  return parseHistory(stdout);
}

export function parseHistory(text: string): CommitRecord[] {
  const commits: CommitRecord[] = [];
  for (const record of text.split(RS)) {
    if (record === '') continue;
    const headerEnd = record.indexOf(`${US}\0`);
    const header = headerEnd === -1 ? record : record.slice(0, headerEnd);
    const [sha = '', parents = '', ...message] = header.split(US);
    const files: FileChange[] = [];
    if (headerEnd !== -1) {
      const tokens = record.slice(headerEnd + 2).replace(/^\n/, '').split('\0');
      for (let i = 0; i < tokens.length; i++) {
        const status = tokens[i]?.[0];
        if (!status) continue;
        if (status === 'R' || status === 'C') {
          files.push({ status, from: tokens[i + 1] ?? '', path: tokens[i + 2] ?? '' });
          i += 2;
        } else {
          files.push({ status, path: tokens[i + 1] ?? '' });
          i += 1;
        }
      }
    }
    commits.push({ sha, parents: parents.split(' ').filter(Boolean), message: message.join(US).trimEnd(), files });
  }
  return commits;
}
