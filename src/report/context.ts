import { ChartshipError } from '../model/errors.js';
import { code } from './markdown.js';

/** Where the reports point to. Passed in (never read from the environment here) so rendering stays pure. */
export interface ReportContext {
  /** `GITHUB_SERVER_URL`, e.g. `https://github.com` or a GitHub Enterprise Server URL. */
  serverUrl: string;
  /** `owner/repo`. */
  repository: string;
  /** Link to the workflow run, shown in footers and truncation notes. */
  runUrl?: string;
  /**
   * Id of the sticky comment (default `sticky`): the comment starts with `<!-- chartship:<id> -->`, so workflows
   * with different ids keep separate comments. Pass `stickyMarker(id)` to `upsertStickyComment`.
   */
  marker?: string;
  /** Keyring file shown in the `helm pull --verify` command (default: `pubring.gpg`, exported as the notes show). */
  keyring?: string;
}

/**
 * A keyring file next to the user's work: GnuPG 2.1 and later keep keys in `~/.gnupg/pubring.kbx`, which helm cannot
 * read, so the release notes have the key exported to this file first.
 */
export const DEFAULT_KEYRING = 'pubring.gpg';

/** The hidden first line that identifies chartship's comment among all the others on a pull request. */
export function stickyMarker(id = 'sticky'): string {
  // The id ends up inside an HTML comment: anything that could close it (`--`, `>`) must not get in.
  if (!/^[A-Za-z0-9._:/]+(?:-[A-Za-z0-9._:/]+)*$/.test(id)) {
    throw new ChartshipError(`comment marker id ${JSON.stringify(id)} may only use letters, digits, '.', '_', ':', '/' and single '-'`, {
      field: 'marker',
      code: 'MARKER_INVALID',
    });
  }
  return `<!-- chartship:${id} -->`;
}

function repoUrl(ctx: ReportContext): string {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(ctx.repository)) {
    throw new ChartshipError(`repository ${JSON.stringify(ctx.repository)} is not owner/repo`, { field: 'repository', code: 'REPOSITORY_INVALID' });
  }
  return `${ctx.serverUrl.replace(/\/+$/, '')}/${ctx.repository}`;
}

/** ``[`abc1234`](…/commit/<sha>)``; a value that is not a hex SHA is shown as code, without a link. */
export function commitLink(ctx: ReportContext, sha: string, shortSha = sha.slice(0, 7)): string {
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) return code(shortSha);
  return `[${code(shortSha)}](${repoUrl(ctx)}/commit/${sha.toLowerCase()})`;
}

export function pullLink(ctx: ReportContext, pr: number): string {
  if (!Number.isSafeInteger(pr) || pr <= 0) return '';
  return `[#${pr}](${repoUrl(ctx)}/pull/${pr})`;
}

/** The diff between two tags, as GitHub's compare view shows it; a tag's `/` stays a path separator there. */
export function compareUrl(ctx: ReportContext, from: string, to: string): string {
  const ref = (tag: string) => encodeURIComponent(tag).replaceAll('%2F', '/');
  return `${repoUrl(ctx)}/compare/${ref(from)}...${ref(to)}`;
}

/** A URL we were handed (run, release) as a markdown link target; only http(s) gets through. */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    // Parentheses and spaces would end the link destination early.
    return parsed.href.replace(/[()\s]/g, (ch) => encodeURIComponent(ch));
  } catch {
    return undefined;
  }
}
