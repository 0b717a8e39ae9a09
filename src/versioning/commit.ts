import { CommitParser, type CommitBase, type CommitMeta } from 'conventional-commits-parser';

export interface ParsedCommit {
  sha: string;
  /** Conventional type in lower case, `revert` for git's `Revert "…"`, or `other` when the header is not conventional. */
  type: string;
  scopes: string[];
  subject: string;
  header: string;
  breaking: boolean;
  /** What its `BREAKING CHANGE:` footer says broke: the release notes show it to whoever upgrades. */
  breakingNote?: string;
  /** `Release-As: x.y.z` footer. */
  releaseAs?: string;
  /** What a revert commit undoes: the SHA from its body and/or the reverted header. */
  reverts?: { sha?: string; header?: string };
  pr?: number;
}

// The spec asks for a space after the colon; release-please's parser takes none (`fix!:x`), and a breaking mark or a
// feature is not to be lost to a missing space. The description must not be empty (the spec requires one).
const HEADER = /^(\w+)(?:\(([^)]*)\))?(!)?:\s*(\S.*)$/;
const parser = new CommitParser({
  headerPattern: HEADER,
  headerCorrespondence: ['type', 'scope', 'bang', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  // A footer is its token and `: ` or ` #` (the spec, release-please): the parser's default also takes a space, so that
  // a line of prose such as "Breaking change avoided by …" made a major. Upper case is not required (the spec does):
  // `breaking change: …` is meant as one, and conventional-commits-parser reads it so for semantic-release.
  notesPattern: (keywords) => new RegExp(`^[\\s|*]*(${keywords})(?::|\\s#)\\s*(.*)`, 'i'),
  // git's revert, its revert of a revert since git 2.43 (`Reapply "…"`), and either squash-merged (` (#13)` after it).
  // The reverted commit is named by its SHA when git's line is there, else by its header alone (a squash merge given
  // the pull request's description).
  revertPattern: /^(?:Revert|Reapply)\s"(.+)"(?:\s*\(#\d+\))?[^\S\n]*(?:\n[\s\S]*?This reverts commit ([0-9a-f]{7,40})|\n|$)/,
  revertCorrespondence: ['header', 'sha'],
  // Issue references are not used (the PR number comes from the subject) and their scan is most of the parse time.
  referenceActions: [],
  // `-name-` lines are fields of `git log` output prepared for the parser, not part of a commit message: read as such,
  // one after a BREAKING CHANGE note threw, and one before a note hid it.
  fieldPattern: undefined,
});

const RELEASE_AS = /^release-as:\s*(\S+)\s*$/im;
/** A line that starts another footer: a word token (`-` for spaces), then `: ` or ` #` (Conventional Commits §9). */
const NEXT_FOOTER = /\n(?=[A-Za-z][A-Za-z0-9-]*(?:: | #))/;
const REVERTS_SHA = /This reverts commit ([0-9a-f]{7,40})/i;
const PR_SUFFIX = /\s*\(#(\d+)\)\s*$/;
/** What a commit without a message is listed as, in the plan's reasons and the changelog. */
const EMPTY = '(no commit message)';

/**
 * A commit message as Conventional Commits read it. Only a `BREAKING CHANGE` note, a revert or a gpg line can make
 * more than the header matter (to the fields read here): without any, what the parser would make of the message is
 * what its header pattern makes of the first line, which on 100,000 commits saves most of the time. `whole` has the
 * parser read the whole message regardless (the reference in the tests).
 */
export function parseCommit(sha: string, message: string, whole = false): ParsedCommit {
  // git takes an empty message (`--allow-empty-message`, tools that write commits themselves); the parser throws on one.
  // Asked as "no non-space character" rather than trimmed: messages run to pages, and a plan reads 100,000 of them.
  if (!/\S/.test(message)) return { sha, type: 'other', scopes: [], subject: EMPTY, header: EMPTY, breaking: false };
  const alone = whole ? undefined : headerAlone(message);
  const parsed: Read = alone === undefined ? parser.parse(message) : headerFields(alone);
  const header = (parsed.header ?? message.split('\n')[0] ?? '').trim();
  const type = typeof parsed['type'] === 'string' && parsed['type'] ? parsed['type'].toLowerCase() : parsed.revert ? 'revert' : 'other';
  const subject = type === 'other' || (parsed.revert && !parsed['type']) ? header : String(parsed['subject'] ?? header);
  const scopes = typeof parsed['scope'] === 'string' ? parsed['scope'].split(',').map((s) => s.trim()).filter(Boolean) : [];
  const footer = parsed.notes.find((n) => /^BREAKING[ -]CHANGE$/i.test(n.title));
  const commit: ParsedCommit = {
    sha,
    type,
    scopes,
    subject: subject.replace(PR_SUFFIX, ''),
    header,
    breaking: parsed['bang'] === '!' || footer !== undefined,
  };
  // The parser runs a note to the message's end; a footer's value ends where the next footer starts (spec §8-10).
  const note = footer?.text.split(NEXT_FOOTER)[0]!.trim();
  if (note) commit.breakingNote = note;
  const releaseAs = RELEASE_AS.exec(message)?.[1];
  if (releaseAs) commit.releaseAs = releaseAs;
  const pr = PR_SUFFIX.exec(header)?.[1];
  if (pr) commit.pr = Number(pr);
  if (type === 'revert') {
    const revertedSha = parsed.revert?.['sha'] ?? REVERTS_SHA.exec(message)?.[1];
    // `revert: feat: x` carries the reverted header as its subject; git's `Revert "feat: x"` in quotes.
    const revertedHeader = parsed.revert?.['header'] ?? (parsed['type'] ? String(parsed['subject'] ?? '') : undefined);
    commit.reverts = {};
    if (revertedSha) commit.reverts.sha = revertedSha;
    if (revertedHeader) commit.reverts.header = withoutPr(revertedHeader);
  }
  return commit;
}

/** A header as a revert names it: without the pull request number a squash merge adds to either. */
export function withoutPr(header: string): string {
  return header.replace(PR_SUFFIX, '').trim();
}

const BODY_MATTERS = /BREAKING|revert|reapply|gpg:/i;

/** The first line, as the parser would take it for the header, when nothing after it can change what is read. */
function headerAlone(message: string): string | undefined {
  if (BODY_MATTERS.test(message)) return undefined;
  const start = message.search(/[^\r\n]/);
  if (start === -1) return undefined;
  const end = message.indexOf('\n', start);
  const header = message.slice(start, end === -1 ? undefined : end);
  // A CR is a line end to the parser only before a LF, and trimmed at the end of the message: left to it.
  return header.trim() === '' || header.includes('\r') ? undefined : header;
}

/** What is read here of the parser's result: its header, notes and revert, and the header pattern's fields. */
type Read = Pick<CommitBase, 'header' | 'notes' | 'revert'> & CommitMeta;

/** The parser's reading of a message that is this one header line: its pattern's groups, no notes, no revert. */
function headerFields(header: string): Read {
  const match = HEADER.exec(header);
  const fields: CommitMeta = {};
  if (match) ['type', 'scope', 'bang', 'subject'].forEach((field, i) => (fields[field] = match[i + 1] || null));
  return Object.assign(fields, { header, notes: [], revert: null });
}
