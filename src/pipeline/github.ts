import type { PullRequest, StickyComment } from '../model/pull-request.js';

export type { PullRequest } from '../model/pull-request.js';

/**
 * What chartship asks of GitHub: a sticky pull-request comment, the pull request of a commit, releases, and a record
 * of each attestation. Declared
 * here, where it is used; report/github.ts implements it with Octokit, tests with a local API server.
 */
export interface GitHubClient {
  /** Finds the comment carrying `marker` (paginated: issues.listComments with per_page 100, all pages) and updates
   *  it, else creates one. Returns the comment id and url. A `body` made from the comment found (undefined: none)
   *  may be undefined: that comment is left as it is, or none made, and undefined returned. */
  upsertStickyComment(issueNumber: number, marker: string, body: string): Promise<StickyComment>;
  upsertStickyComment(issueNumber: number, marker: string, body: (found: string | undefined) => string | undefined): Promise<StickyComment | undefined>;
  /** PR(s) associated with a commit (repos.listPullRequestsAssociatedWithCommit), open ones first. */
  pullRequestForCommit(sha: string): Promise<number | undefined>;
  /** The pull requests of a commit, with their branches; none when GitHub does not know the commit. */
  pullRequestsOfCommit(sha: string): Promise<PullRequest[]>;
  /**
   * Open pull requests whose head is a branch of this repository (never a fork's) named `branch`, or with `prefix`
   * named `branch/…` (pulls.list, every page).
   */
  openPullRequests(branch: string, options?: { prefix?: boolean }): Promise<PullRequest[]>;
  createPullRequest(request: { head: string; base: string; title: string; body: string }): Promise<PullRequest>;
  /** Changes the title, body or state (`closed` closes it) of a pull request. */
  updatePullRequest(number: number, change: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<void>;
  /** Whether GitHub reports `branch` as protected (repos.getBranch); `unknown` when the token may not read it. */
  branchProtection(branch: string): Promise<'protected' | 'unprotected' | 'unknown'>;
  /**
   * The newest successful run of push events on `branch`, made before run `runId`, of the workflow that run is a run of,
   * and the commit it ran on; undefined when there is none. A token without `actions: read` is refused (GITHUB_403).
   */
  lastSuccessfulPushRun(runId: number, branch: string): Promise<{ id: number; sha: string } | undefined>;
  /** Idempotent: if a release with this tag exists, leave it (or update its body) and report created:false;
   *  else create it with make_latest: 'false' unless makeLatest. target_commitish = sha. */
  upsertRelease(release: ReleaseRequest): Promise<{ id: number; url: string; created: boolean }>;
  /**
   * Attaches a file to the release of `tag` (repos.uploadReleaseAsset, to the release's upload_url) unless an asset of
   * that name holding the same bytes is there already (same digest where GitHub reports one, else same size); an
   * asset of that name with other content is an error, unless `keepExisting` (a signature made again over the same
   * archive differs, and the published one stands). Returns its download URL.
   */
  uploadReleaseAsset(asset: ReleaseAsset): Promise<{ url: string; uploaded: boolean }>;
  /**
   * Records a Sigstore bundle in the repository's attestations (repos.createAttestation), for `gh attestation verify`,
   * once: after a failure GitHub may have acted on, this very bundle is looked for before it is sent again (found so,
   * it has no `id`). Resolves only when GitHub holds it.
   */
  createAttestation(bundle: object): Promise<{ id?: number }>;
  /**
   * The first Sigstore bundle GitHub holds for this repository about a subject digest (repos.listAttestations, every
   * page, bundles given only by `bundle_url` fetched) that `wanted` accepts; undefined when it holds none. An error
   * when it cannot tell (a bundle it links to cannot be read, and no other is accepted).
   */
  findAttestation(digest: string, wanted: (bundle: object) => boolean): Promise<object | undefined>;
}

export interface ReleaseAsset {
  tag: string;
  name: string;
  data: Buffer;
  contentType: string;
  keepExisting?: boolean;
}

export interface ReleaseRequest {
  tag: string;
  name: string;
  body: string;
  sha: string;
  makeLatest?: boolean;
  prerelease?: boolean;
}

/** The log line of a sticky comment posted, or (undefined) left as it was because the run published nothing. */
export function commentLine(number: number, posted: StickyComment | undefined): string {
  return posted ? `${posted.created ? 'created' : 'updated'} the comment on #${number}: ${posted.url}` : `nothing was published, so the comment on #${number} is left as it is`;
}
