import { createHash } from 'node:crypto';
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { systemClock, type Clock } from '../model/clock.js';
import { ChartshipError } from '../model/errors.js';
import type { PullRequest, StickyComment } from '../model/pull-request.js';
import { redactUrl } from '../model/redact.js';
import { retrying, retryLine, type RetryPolicy } from '../model/retry.js';
import { firstSubjectDigest, sameEnvelope } from './bundle-envelope.js';
import { fetchBundle, type LinkFetch } from './github-bundle.js';
import { sameText } from './same-text.js';
import { FailedCall, githubRetryPolicy, isRequestFailure, isSecondaryRateLimit, transientGitHubFailure, type RequestFailure } from './github-retry.js';

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL`: `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
  owner: string;
  repo: string;
  /** Retries of transient failures (5xx, dropped connections, rate limits that reset soon): github-retry.ts. */
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  /** Told each retry, as a line for the log (`GitHub API: creating release x-1.0.0: HTTP 502; waiting …`). */
  onRetry?: (line: string) => void;
  /**
   * How GitHub's API and the links it hands out (an attestation's `bundle_url`, on its storage) are fetched: the front
   * end's, through the proxy the environment names for each host (oci/proxy.ts proxiedFetch). Default: node's fetch,
   * direct.
   */
  fetch?: LinkFetch;
}

/** A `bundle_url` is a link to GitHub's storage that authorizes itself for a while: no permission is missing. */
const BUNDLE_URL_HINT = "GitHub's storage did not serve the bundle its attestations API links to: rerun the job";

/** Which permission a 403 points at, per kind of call. */
type Area = 'comments' | 'pulls' | 'release-pr' | 'releases' | 'branches' | 'runs' | 'attestations' | 'attestation-bundles';
const PERMISSION_HINTS: Record<Area, string> = {
  comments:
    'give the workflow `permissions: pull-requests: write`; pull requests from forks only get a read-only token',
  pulls: 'give the workflow `permissions: pull-requests: read`',
  'release-pr':
    'give the workflow `permissions: pull-requests: write` and `contents: write`, and let GitHub Actions create pull requests (repository Settings → Actions → General → Workflow permissions)',
  releases: 'give the workflow `permissions: contents: write`',
  branches: 'give the workflow `permissions: contents: read`',
  runs: 'give the workflow `permissions: actions: read`',
  attestations: 'give the workflow `permissions: attestations: write` (and `id-token: write`)',
  'attestation-bundles': BUNDLE_URL_HINT,
};

/** Pages of 100 attestations about one digest read at most (`gh attestation verify --limit` reads 1,000 at most). */
const ATTESTATION_PAGES = 10;

/** `already_exists` and friends from a 422's `errors` list. */
function errorCodes(failure: RequestFailure): string[] {
  const errors = (failure.response?.data as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => {
    // GitHub gives each error as an object with a string `code` (older APIs: a bare string).
    const code: unknown = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : e;
    return typeof code === 'string' ? code : '';
  });
}

/** A release as created or found, and whether this call created it. */
export interface ReleaseResult {
  id: number;
  url: string;
  created: boolean;
}

/** The pipeline's GitHub client (pipeline/github.ts), on GitHub's REST API through Octokit. */
export function createGitHubClient(options: GitHubClientOptions): GitHubRestClient {
  return new GitHubRestClient(options);
}

/**
 * Octokit's core with pagination, its requests named by route (`GET /repos/{owner}/{repo}/pulls`), as typed as
 * @actions/github's client without its table of every REST endpoint (83 kB of dist/ for the dozen calls made here).
 */
const GitHubOctokit = Octokit.plugin(paginateRest);

/** GitHub's REST API for one repository: every failure comes back as a ChartshipError naming the call and the fix. */
export class GitHubRestClient {
  readonly #octokit: InstanceType<typeof GitHubOctokit>;
  readonly #owner: string;
  readonly #repo: string;
  readonly #token: string;
  readonly #baseUrl: string;
  readonly #fetch: LinkFetch | undefined;
  readonly #retry: Pick<GitHubClientOptions, 'onRetry'> & { policy: RetryPolicy; clock: Clock };
  /** Until when GitHub asked this client to send nothing (a rate limit): every call waits for it, or fails unsent. */
  #pausedUntil = 0;
  /** The login the token acts as, once known. */
  #viewer: string | undefined;

  constructor(options: GitHubClientOptions) {
    this.#baseUrl = apiBaseUrl(options.apiUrl);
    if (!options.token) {
      throw new ChartshipError('no GitHub token was given', { field: 'github-token', code: 'GITHUB_TOKEN_MISSING', hint: 'pass `github-token: ${{ github.token }}`' });
    }
    this.#token = options.token;
    this.#owner = options.owner;
    this.#repo = options.repo;
    this.#fetch = options.fetch;
    this.#octokit = new GitHubOctokit({ auth: options.token, baseUrl: this.#baseUrl, ...(options.fetch && { request: { fetch: options.fetch } }) });
    this.#retry = { policy: { ...githubRetryPolicy, ...options.retry }, clock: options.clock ?? systemClock, onRetry: options.onRetry };
  }

  upsertStickyComment(issueNumber: number, marker: string, body: string): Promise<StickyComment>;
  upsertStickyComment(issueNumber: number, marker: string, body: (found: string | undefined) => string | undefined): Promise<StickyComment | undefined>;
  async upsertStickyComment(issueNumber: number, marker: string, body: string | ((found: string | undefined) => string | undefined)): Promise<StickyComment | undefined> {
    if (marker.trim() === '') throw new ChartshipError('the sticky comment marker is empty', { field: 'marker', code: 'MARKER_INVALID' });
    // Looked for on every attempt: a create GitHub made but did not confirm is found, not made twice.
    let tried = false;
    return this.#attempts(async () => {
      const existing = await this.#findComment(issueNumber, marker);
      const wanted = typeof body === 'string' ? body : body(existing?.body ?? undefined);
      if (wanted === undefined) return undefined;
      // The marker is how the next run finds this comment again; without it every run would add one.
      const text = wanted.startsWith(marker) ? wanted : `${marker}\n${wanted}`;
      if (existing) {
        if (!sameText(existing.body ?? '', text)) {
          await this.#call(`updating comment ${existing.id} on #${issueNumber}`, 'comments', () =>
            this.#octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...this.#repository(), comment_id: existing.id, body: text }),
          );
        }
        return { id: existing.id, url: existing.html_url, created: tried };
      }
      tried = true;
      const { data } = await this.#call(`commenting on #${issueNumber}`, 'comments', () =>
        this.#octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...this.#repository(), issue_number: issueNumber, body: text }),
      );
      // Typed as int64 (number | bigint) in GitHub's description; JSON gives a number.
      return { id: Number(data.id), url: data.html_url, created: true };
    });
  }

  async pullRequestForCommit(sha: string): Promise<number | undefined> {
    const pulls = await this.pullRequestsOfCommit(sha);
    return (pulls.find((pull) => pull.state === 'open') ?? pulls[0])?.number;
  }

  async pullRequestsOfCommit(sha: string): Promise<PullRequest[]> {
    return this.#attempts(() =>
      this.#call(`finding the pull request of ${sha.slice(0, 12)}`, 'pulls', async () => {
        try {
          const { data } = await this.#octokit.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { ...this.#repository(), commit_sha: sha, per_page: 100 });
          return data.map((pull) => this.#pullRequest(pull));
        } catch (error) {
          // 422: GitHub does not know the commit (not pushed yet): it has no pull request either.
          if (isRequestFailure(error) && error.status === 422) return [];
          throw error;
        }
      }),
    );
  }

  openPullRequests(branch: string, options: { prefix?: boolean } = {}): Promise<PullRequest[]> {
    return this.#attempts(() => this.#openPullRequests(branch, options));
  }

  async #openPullRequests(branch: string, options: { prefix?: boolean }): Promise<PullRequest[]> {
    const wanted = (ref: string | undefined) => ref !== undefined && (options.prefix ? ref.startsWith(`${branch}/`) : ref === branch);
    return this.#call(`listing the open pull requests of ${branch}`, 'pulls', async () => {
      const found: PullRequest[] = [];
      // GitHub filters by one exact head itself; a prefix needs every open pull request.
      const filter = options.prefix ? {} : { head: `${this.#owner}:${branch}` };
      const pages = this.#octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls', { ...this.#repository(), state: 'open', per_page: 100, ...filter });
      for await (const page of pages) found.push(...page.data.map((pull) => this.#pullRequest(pull)).filter((pull) => wanted(pull.head)));
      return found;
    });
  }

  async createPullRequest(request: { head: string; base: string; title: string; body: string }): Promise<PullRequest> {
    let tried = false;
    return this.#attempts(async () => {
      // After a create GitHub did not confirm, the pull request of that branch may be open already.
      const made = tried ? (await this.#openPullRequests(request.head, {})).find((pull) => pull.base === request.base) : undefined;
      if (made) return made;
      tried = true;
      const { data } = await this.#call(`opening a pull request from ${request.head} into ${request.base}`, 'release-pr', () =>
        this.#octokit.request('POST /repos/{owner}/{repo}/pulls', { ...this.#repository(), ...request, maintainer_can_modify: false }),
      );
      return this.#pullRequest(data);
    });
  }

  async updatePullRequest(number: number, change: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<void> {
    await this.#attempts(() =>
      this.#call(`${change.state === 'closed' ? 'closing' : 'updating'} pull request #${number}`, 'release-pr', () =>
        this.#octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...this.#repository(), pull_number: number, ...change }),
      ),
    );
  }

  branchProtection(branch: string): Promise<'protected' | 'unprotected' | 'unknown'> {
    return this.#attempts(() =>
      this.#call(`reading branch ${branch}`, 'branches', async () => {
        try {
          const { data } = await this.#octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', { ...this.#repository(), branch });
          return data.protected ? 'protected' : 'unprotected';
        } catch (error) {
          // A token without `contents: read` gets 403, or 404 as for a repository it cannot see: it cannot tell.
          // A 403 that is a rate limit says nothing of the permission: it is waited for, or reported.
          const limited = transientGitHubFailure(error, this.#retry.clock.now(), false) !== undefined;
          if (isRequestFailure(error) && (error.status === 403 || error.status === 404) && !limited) return 'unknown';
          throw error;
        }
      }),
    );
  }

  /**
   * The newest successful run of push events on `branch`, made before run `runId`, of the workflow that run is a run of
   * (actions.getWorkflowRun names the workflow and when the run was made, actions.listWorkflowRuns lists its runs newest
   * first: one of one page), or undefined.
   */
  lastSuccessfulPushRun(runId: number, branch: string): Promise<{ id: number; sha: string } | undefined> {
    return this.#attempts(() =>
      this.#call('listing the runs of this workflow', 'runs', async () => {
        const { workflow_id, created_at } = (await this.#octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...this.#repository(), run_id: runId })).data;
        const { data } = await this.#octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
          ...this.#repository(),
          workflow_id,
          branch,
          event: 'push',
          status: 'success',
          // Made before this run: its rerun, once it passed, finds what its first attempt found.
          created: `<${created_at}`,
          per_page: 1,
        });
        const run = data.workflow_runs[0];
        return run && { id: Number(run.id), sha: run.head_sha };
      }),
    );
  }

  /** The fields of a pull request chartship reads, from any of GitHub's pull request shapes. */
  #pullRequest(pull: {
    number: number;
    html_url: string;
    state: string;
    merged_at?: string | null;
    title: string;
    body?: string | null;
    head: { ref: string; repo?: { full_name: string } | null };
    base: { ref: string };
  }): PullRequest {
    const own = pull.head.repo?.full_name.toLowerCase() === `${this.#owner}/${this.#repo}`.toLowerCase();
    return {
      number: pull.number,
      url: pull.html_url,
      state: pull.state === 'open' ? 'open' : 'closed',
      merged: Boolean(pull.merged_at),
      ...(own ? { head: pull.head.ref } : {}),
      base: pull.base.ref,
      title: pull.title,
      body: pull.body ?? '',
    };
  }

  async upsertRelease(release: { tag: string; name: string; body: string; sha: string; makeLatest?: boolean; prerelease?: boolean }): Promise<ReleaseResult> {
    // Looked up on every attempt: a create GitHub made but did not confirm (a 502, a dropped connection) is found.
    let tried = false;
    return this.#attempts(async () => {
      const found = await this.#getReleaseByTag(release.tag);
      if (found) {
        if (!sameText(found.body ?? '', release.body)) {
          await this.#call(`updating release ${release.tag}`, 'releases', () =>
            this.#octokit.request('PATCH /repos/{owner}/{repo}/releases/{release_id}', { ...this.#repository(), release_id: found.id, body: release.body }),
          );
        }
        return { id: found.id, url: found.html_url, created: tried };
      }
      tried = true;
      try {
        const { data } = await this.#octokit.request('POST /repos/{owner}/{repo}/releases', {
          ...this.#repository(),
          tag_name: release.tag,
          name: release.name,
          body: release.body,
          target_commitish: release.sha,
          prerelease: release.prerelease ?? false,
          // GitHub refuses to mark a prerelease as latest.
          make_latest: release.makeLatest && !release.prerelease ? 'true' : 'false',
        });
        return { id: data.id, url: data.html_url, created: true };
      } catch (error) {
        // Another job released the same tag between our lookup and our create: theirs is as good as ours.
        if (isRequestFailure(error) && error.status === 422 && errorCodes(error).includes('already_exists')) {
          const raced = await this.#getReleaseByTag(release.tag);
          if (raced) return { id: raced.id, url: raced.html_url, created: false };
        }
        throw new FailedCall(`creating release ${release.tag}`, 'releases', error);
      }
    });
  }

  async uploadReleaseAsset({ tag, name, data, contentType, keepExisting }: { tag: string; name: string; data: Buffer; contentType: string; keepExisting?: boolean }): Promise<{ url: string; uploaded: boolean }> {
    // Each attempt looks at the release's assets first, so an upload GitHub kept but did not confirm is not sent again.
    return this.#attempts(async () => {
      const release = await this.#getReleaseByTag(tag);
      if (!release) throw new ChartshipError(`release ${tag} does not exist, so ${name} cannot be attached to it`, { code: 'RELEASE_MISSING' });
      const there = sameAsset(tag, release, name, data, keepExisting);
      if (there) return { url: there, uploaded: false };
      try {
        // upload_url is a URI template (`…/assets{?name,label}`) on GitHub's upload host, which differs on GHES.
        const response = await this.#octokit.request({ method: 'POST', url: release.upload_url, name, data, headers: { 'content-type': contentType, 'content-length': data.length } });
        return { url: (response.data as { browser_download_url: string }).browser_download_url, uploaded: true };
      } catch (error) {
        // Another job attached the same file meanwhile: theirs is as good as ours if it holds the same bytes.
        if (isRequestFailure(error) && error.status === 422) {
          const raced = await this.#getReleaseByTag(tag);
          const url = raced && sameAsset(tag, raced, name, data, keepExisting);
          if (url) return { url, uploaded: false };
        }
        throw new FailedCall(`attaching ${name} to release ${tag}`, 'releases', error);
      }
    });
  }

  /**
   * Records a Sigstore bundle in the repository's attestations (repos.createAttestation), for `gh attestation verify`.
   * After a failure GitHub may have acted on (a 5xx, a dropped connection), the next attempt first looks for this very
   * bundle among those about its first subject, and sends it again only when GitHub does not hold it: never twice.
   * Found so, it comes without an id (GitHub's list gives none): resolving at all means GitHub holds the bundle.
   */
  async createAttestation(bundle: object): Promise<{ id?: number }> {
    const digest = firstSubjectDigest(bundle);
    let tried = false;
    return this.#attempts(
      async () => {
        if (tried && digest && (await this.#findAttestation(digest, (held) => sameEnvelope(held, bundle)))) return {};
        tried = true;
        const { data } = await this.#call('recording the attestation', 'attestations', () => this.#octokit.request('POST /repos/{owner}/{repo}/attestations', { ...this.#repository(), bundle }));
        return typeof data.id === 'number' ? { id: data.id } : {};
      },
      // Without a subject to look it up by (GitHub refuses such a bundle anyway) only a rate limit is retried.
      { repeatable: digest !== undefined },
    );
  }

  /**
   * The first Sigstore bundle GitHub holds for this repository about a subject digest (repos.listAttestations) that
   * `wanted` accepts, so a rerun records none twice. Every page is read (other attestations of the digest, an SBOM or
   * another workflow's provenance, may come first), up to ATTESTATION_PAGES of them, until one is accepted. An entry
   * without its bundle inline is read from its `bundle_url`. One that cannot be read, or pages left unread, make the
   * answer an error rather than "none": the caller must not take it for a digest GitHub holds nothing about.
   */
  findAttestation(digest: string, wanted: (bundle: object) => boolean): Promise<object | undefined> {
    return this.#attempts(() => this.#findAttestation(digest, wanted));
  }

  /** One attempt of findAttestation, for an attempt of another call to make too. */
  #findAttestation(digest: string, wanted: (bundle: object) => boolean): Promise<object | undefined> {
    return this.#call(`listing the attestations of ${digest}`, 'attestations', async () => {
      let unreadable: Error | undefined;
      let pages = 0;
      const iterator = this.#octokit.paginate.iterator('GET /repos/{owner}/{repo}/attestations/{subject_digest}', { ...this.#repository(), subject_digest: digest, per_page: 100 });
      for await (const page of noneWhenNotFound(iterator)) {
        // Octokit's types take every paginated answer for a list; this one is an object holding it, as GitHub sends it.
        const { attestations } = page.data as { attestations?: { bundle?: object | null; bundle_url?: string }[] };
        for (const entry of attestations ?? []) {
          const bundle = await this.#bundleOf(entry).catch((error: unknown) => {
            unreadable ??= error instanceof Error ? error : new Error(String(error));
            return undefined;
          });
          if (bundle && wanted(bundle)) return bundle;
        }
        if (++pages === ATTESTATION_PAGES && /rel="next"/.test(page.headers.link ?? '')) {
          throw new ChartshipError(`GitHub holds more than ${pages * 100} attestations about ${digest}: chartship reads no further`, { code: 'GITHUB_ATTESTATIONS_TOO_MANY' });
        }
      }
      if (unreadable !== undefined) throw unreadable;
      return undefined;
    });
  }

  /** An entry's bundle: inline, else fetched from its `bundle_url` (with the retries of any GitHub call). */
  async #bundleOf(entry: { bundle?: object | null; bundle_url?: string }): Promise<object | undefined> {
    if (entry.bundle) return entry.bundle;
    const url = entry.bundle_url;
    if (!url) return undefined;
    return this.#attempts(() => this.#call(`reading the attestation bundle at ${redactUrl(url)}`, 'attestation-bundles', () => fetchBundle(url, this.#fetch)));
  }

  /**
   * Runs `attempt` with retries of GitHub's transient failures (github-retry.ts) and turns the last failure into a
   * ChartshipError. `repeatable`: the attempt may run again after a failure that may have changed something (it
   * looks before it creates); otherwise only a rate limit, which changed nothing, is retried.
   */
  async #attempts<T>(attempt: () => Promise<T>, { repeatable = true }: { repeatable?: boolean } = {}): Promise<T> {
    const { clock, onRetry } = this.#retry;
    let what = '';
    try {
      return await retrying(
        async () => {
          await this.#rateLimitGate();
          return attempt();
        },
        (outcome) => {
          if (!('error' in outcome) || !(outcome.error instanceof FailedCall)) return undefined;
          what = outcome.error.what;
          const transient = transientGitHubFailure(outcome.error.cause, clock.now(), repeatable);
          // A rate limit holds for every call of this token, not only this one: the next ones must not run into it.
          if (transient?.asked && isRequestFailure(outcome.error.cause) && [403, 429].includes(outcome.error.cause.status)) {
            this.#pausedUntil = Math.max(this.#pausedUntil, clock.now() + transient.asked.ms);
          }
          return transient;
        },
        { policy: this.#retry.policy, clock, ...(onRetry && { onRetry: (info) => onRetry(this.#redact(retryLine(`GitHub API: ${what}`, info, 'GitHub'))) }) },
      );
    } catch (error) {
      if (error instanceof FailedCall) throw this.#fail(error.what, error.area as Area, error.cause);
      throw error;
    }
  }

  /**
   * Waits out a rate limit another call was told of; one longer than a retry may wait ends the call unsent, as GitHub
   * asks ("continuing to make requests while you are rate limited may result in the banning of your integration").
   */
  async #rateLimitGate(): Promise<void> {
    const { clock, policy } = this.#retry;
    const wait = this.#pausedUntil - clock.now();
    if (wait <= 0) return;
    if (wait > policy.maxDelayMs) {
      throw new ChartshipError(`GitHub API: not sent: GitHub's rate limit holds until ${new Date(this.#pausedUntil).toISOString()}`, {
        code: 'GITHUB_RATE_LIMITED',
        hint: 'rerun the job once the rate limit is over',
      });
    }
    await clock.sleep(wait);
  }

  /** One request of an attempt, its failure labelled with what it was doing and the permission it needs. */
  async #call<T>(what: string, area: Area, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      // Already said in full (a nested call's, or chartship's own finding): passed on as it is.
      if (error instanceof ChartshipError) throw error;
      throw new FailedCall(what, area, error);
    }
  }

  #repository(): { owner: string; repo: string } {
    return { owner: this.#owner, repo: this.#repo };
  }

  /**
   * The sticky comment: the first whose body starts with the marker and that this token wrote, over every page of the
   * issue's comments. Anyone can post the marker; a comment by someone else is theirs and is never edited.
   */
  #findComment(issueNumber: number, marker: string): Promise<{ id: number; html_url: string; body?: string | null } | undefined> {
    return this.#call(`listing comments of #${issueNumber}`, 'comments', async () => {
      const viewer = await this.#login();
      // Without the login (GraphQL refused), only a bot's comment can be ours: a person's never is.
      const ours = (user: { login: string; type: string } | null | undefined) => (viewer === undefined ? user?.type === 'Bot' : botless(user?.login) === viewer);
      const pages = this.#octokit.paginate.iterator('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...this.#repository(), issue_number: issueNumber, per_page: 100 });
      for await (const page of pages) {
        // Only a comment that starts with the marker counts: quoting it elsewhere must not hijack the sticky one.
        const found = page.data.find((comment) => (comment.body ?? '').trimStart().startsWith(marker) && ours(comment.user));
        if (found) return found;
      }
      return undefined;
    });
  }

  /**
   * Who the token acts as, `[bot]` dropped: GraphQL's `viewer`, as marocchino/sticky-pull-request-comment asks it,
   * since no REST endpoint answers it for an installation token (GITHUB_TOKEN, a GitHub App's).
   */
  async #login(): Promise<string | undefined> {
    if (this.#viewer === undefined) {
      const answer = await this.#octokit.graphql<{ viewer?: { login?: string } }>('query { viewer { login } }').catch(() => undefined);
      this.#viewer = answer?.viewer?.login ? botless(answer.viewer.login) : undefined;
    }
    return this.#viewer;
  }

  #getReleaseByTag(tag: string) {
    return this.#call(`reading release ${tag}`, 'releases', async () => {
      try {
        return (await this.#octokit.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', { ...this.#repository(), tag })).data;
      } catch (error) {
        if (isRequestFailure(error) && error.status === 404) return undefined;
        throw error;
      }
    });
  }

  #redact(text: string): string {
    return text.split(this.#token).join('***');
  }

  /** Turns any failure into a ChartshipError that names the call and the fix, and never carries the token. */
  #fail(what: string, area: Area, error: unknown): ChartshipError {
    const redact = (text: string) => this.#redact(text);
    // Octokit reports a request that got no answer at all (refused, DNS, TLS) as status 500 without a response.
    if (!isRequestFailure(error) || error.response === undefined) {
      return new ChartshipError(redact(`GitHub API: ${what} failed: ${error instanceof Error ? error.message : String(error)}`), {
        code: 'GITHUB_API',
        hint: area === 'attestation-bundles' ? BUNDLE_URL_HINT : `check that ${this.#baseUrl} is reachable`,
      });
    }
    const data = error.response?.data as { message?: unknown } | undefined;
    const message = typeof data?.message === 'string' ? data.message : '';
    return new ChartshipError(redact(`GitHub API: ${what} failed with HTTP ${error.status}${message ? `: ${message}` : ''}`), {
      code: `GITHUB_${error.status}`,
      hint: failureHint(error, area, `${this.#owner}/${this.#repo}`),
    });
  }
}

/** REST names a GitHub App `name[bot]`, GraphQL names it `name`. */
function botless(login: string | undefined): string | undefined {
  return login?.replace(/\[bot\]$/, '');
}

/** `GITHUB_API_URL` without a trailing slash; anything but an http(s) URL is refused. */
function apiBaseUrl(apiUrl: string): string {
  try {
    const url = new URL(apiUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    return url.href.replace(/\/+$/, '');
  } catch {
    throw new ChartshipError(`GitHub API URL ${JSON.stringify(apiUrl)} is not an http(s) URL`, {
      field: 'github-api-url',
      code: 'GITHUB_API_URL_INVALID',
      hint: 'use the value of GITHUB_API_URL, e.g. https://api.github.com or https://HOST/api/v3',
    });
  }
}

/** What to do about an HTTP failure: wait for the rate limit, grant a permission, renew the token, check the name. */
function failureHint(error: RequestFailure, area: Area, repository: string): string | undefined {
  const headers = error.response?.headers ?? {};
  if (isSecondaryRateLimit(error)) return "GitHub's secondary rate limit (too many requests in a short time) held past the retries: rerun the job in a few minutes";
  if ((error.status === 403 || error.status === 429) && String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    return `GitHub's API rate limit is used up${Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : ''}`;
  }
  // The repository (or its organization) setting, which no `permissions:` block can grant.
  if (error.status === 403 && /not permitted to create or approve pull requests/i.test(String((error.response?.data as { message?: unknown } | undefined)?.message))) {
    return 'turn on "Allow GitHub Actions to create and approve pull requests" (repository, or organization, Settings → Actions → General → Workflow permissions), or set github-token to a GitHub App token or PAT';
  }
  if (area === 'attestation-bundles' || error.status === 403) return PERMISSION_HINTS[area];
  if (error.status === 401) return 'the token is missing, expired or revoked';
  if (error.status === 404) return `check that ${repository} exists and the token can see it`;
  return undefined;
}

/**
 * The pages of an attestations listing, none when its first answer is 404: GitHub answers so for a digest it holds no
 * attestation about (a repository the token cannot see answers so too, and recording fails there with its own hint).
 */
async function* noneWhenNotFound<T>(pages: AsyncIterable<T>): AsyncIterable<T> {
  let first = true;
  try {
    for await (const page of pages) {
      first = false;
      yield page;
    }
  } catch (error) {
    if (!first || !isRequestFailure(error) || error.status !== 404) throw error;
  }
}

/** The asset `name` of a release as GitHub lists it, if it holds `data`; an error if it holds something else. */
function sameAsset(
  tag: string,
  release: { assets?: { name: string; size: number; digest?: string | null; browser_download_url: string }[] },
  name: string,
  data: Buffer,
  keep = false,
): string | undefined {
  const found = release.assets?.find((a) => a.name === name);
  if (!found) return undefined;
  if (keep) return found.browser_download_url;
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  if (found.digest ? found.digest === digest : found.size === data.length) return found.browser_download_url;
  throw new ChartshipError(`release ${tag} already has an asset ${name} with other content`, {
    code: 'RELEASE_ASSET_EXISTS',
    hint: 'a published chart version should never change: delete the asset by hand if it is wrong, or bump the version',
  });
}
