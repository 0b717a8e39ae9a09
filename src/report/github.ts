import { createHash } from 'node:crypto';
import { getOctokit } from '@actions/github';
import { ChartshipError } from '../model/errors.js';
import type { PullRequest } from '../model/pull-request.js';

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL`: `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
  owner: string;
  repo: string;
}

/** Which permission a 403 points at, per kind of call. */
type Area = 'comments' | 'pulls' | 'release-pr' | 'releases' | 'branches' | 'attestations';
const PERMISSION_HINTS: Record<Area, string> = {
  comments:
    'give the workflow `permissions: pull-requests: write`; pull requests from forks only get a read-only token',
  pulls: 'give the workflow `permissions: pull-requests: read`',
  'release-pr':
    'give the workflow `permissions: pull-requests: write` and `contents: write`, and let GitHub Actions create pull requests (repository Settings → Actions → General → Workflow permissions)',
  releases: 'give the workflow `permissions: contents: write`',
  branches: 'give the workflow `permissions: contents: read`',
  attestations: 'give the workflow `permissions: attestations: write` (and `id-token: write`)',
};

interface RequestFailure {
  status: number;
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
}

function isRequestFailure(error: unknown): error is RequestFailure {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

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

/** The pipeline's GitHub client (pipeline/github.ts), on GitHub's REST API through @actions/github. */
export function createGitHubClient(options: GitHubClientOptions): GitHubRestClient {
  return new GitHubRestClient(options);
}

type Octokit = ReturnType<typeof getOctokit>;

/** GitHub's REST API for one repository: every failure comes back as a ChartshipError naming the call and the fix. */
export class GitHubRestClient {
  readonly #octokit: Octokit;
  readonly #owner: string;
  readonly #repo: string;
  readonly #token: string;
  readonly #baseUrl: string;

  constructor(options: GitHubClientOptions) {
    this.#baseUrl = apiBaseUrl(options.apiUrl);
    if (!options.token) {
      throw new ChartshipError('no GitHub token was given', { field: 'github-token', code: 'GITHUB_TOKEN_MISSING', hint: 'pass `github-token: ${{ github.token }}`' });
    }
    this.#token = options.token;
    this.#owner = options.owner;
    this.#repo = options.repo;
    this.#octokit = getOctokit(options.token, { baseUrl: this.#baseUrl });
  }

  async upsertStickyComment(issueNumber: number, marker: string, body: string): Promise<{ id: number; url: string; created: boolean }> {
    if (marker.trim() === '') throw new ChartshipError('the sticky comment marker is empty', { field: 'marker', code: 'MARKER_INVALID' });
    // The marker is how the next run finds this comment again; without it every run would add one.
    const text = body.startsWith(marker) ? body : `${marker}\n${body}`;
    const existing = await this.#findComment(issueNumber, marker);
    if (existing) {
      if (existing.body !== text) {
        try {
          await this.#octokit.rest.issues.updateComment({ ...this.#repository(), comment_id: existing.id, body: text });
        } catch (error) {
          throw this.#fail(`updating comment ${existing.id} on #${issueNumber}`, 'comments', error);
        }
      }
      return { id: existing.id, url: existing.html_url, created: false };
    }
    try {
      const { data } = await this.#octokit.rest.issues.createComment({ ...this.#repository(), issue_number: issueNumber, body: text });
      return { id: data.id, url: data.html_url, created: true };
    } catch (error) {
      throw this.#fail(`commenting on #${issueNumber}`, 'comments', error);
    }
  }

  async pullRequestForCommit(sha: string): Promise<number | undefined> {
    const pulls = await this.pullRequestsOfCommit(sha);
    return (pulls.find((pull) => pull.state === 'open') ?? pulls[0])?.number;
  }

  async pullRequestsOfCommit(sha: string): Promise<PullRequest[]> {
    try {
      const { data } = await this.#octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...this.#repository(), commit_sha: sha, per_page: 100 });
      return data.map((pull) => this.#pullRequest(pull));
    } catch (error) {
      // 422: GitHub does not know the commit (not pushed yet): it has no pull request either.
      if (isRequestFailure(error) && error.status === 422) return [];
      throw this.#fail(`finding the pull request of ${sha.slice(0, 12)}`, 'pulls', error);
    }
  }

  async openPullRequests(branch: string, options: { prefix?: boolean } = {}): Promise<PullRequest[]> {
    const wanted = (ref: string | undefined) => ref !== undefined && (options.prefix ? ref.startsWith(`${branch}/`) : ref === branch);
    try {
      const found: PullRequest[] = [];
      // GitHub filters by one exact head itself; a prefix needs every open pull request.
      const filter = options.prefix ? {} : { head: `${this.#owner}:${branch}` };
      const pages = this.#octokit.paginate.iterator(this.#octokit.rest.pulls.list, { ...this.#repository(), state: 'open', per_page: 100, ...filter });
      for await (const page of pages) found.push(...page.data.map((pull) => this.#pullRequest(pull)).filter((pull) => wanted(pull.head)));
      return found;
    } catch (error) {
      throw this.#fail(`listing the open pull requests of ${branch}`, 'pulls', error);
    }
  }

  async createPullRequest(request: { head: string; base: string; title: string; body: string }): Promise<PullRequest> {
    try {
      const { data } = await this.#octokit.rest.pulls.create({ ...this.#repository(), ...request, maintainer_can_modify: false });
      return this.#pullRequest(data);
    } catch (error) {
      throw this.#fail(`opening a pull request from ${request.head} into ${request.base}`, 'release-pr', error);
    }
  }

  async updatePullRequest(number: number, change: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<void> {
    try {
      await this.#octokit.rest.pulls.update({ ...this.#repository(), pull_number: number, ...change });
    } catch (error) {
      throw this.#fail(`${change.state === 'closed' ? 'closing' : 'updating'} pull request #${number}`, 'release-pr', error);
    }
  }

  async branchProtection(branch: string): Promise<'protected' | 'unprotected' | 'unknown'> {
    try {
      const { data } = await this.#octokit.rest.repos.getBranch({ ...this.#repository(), branch });
      return data.protected ? 'protected' : 'unprotected';
    } catch (error) {
      // A token without `contents: read` gets 403, or 404 as for a repository it cannot see: it cannot tell.
      if (isRequestFailure(error) && (error.status === 403 || error.status === 404)) return 'unknown';
      throw this.#fail(`reading branch ${branch}`, 'branches', error);
    }
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
    const found = await this.#getReleaseByTag(release.tag);
    if (found) {
      if ((found.body ?? '') !== release.body) {
        try {
          await this.#octokit.rest.repos.updateRelease({ ...this.#repository(), release_id: found.id, body: release.body });
        } catch (error) {
          throw this.#fail(`updating release ${release.tag}`, 'releases', error);
        }
      }
      return { id: found.id, url: found.html_url, created: false };
    }
    try {
      const { data } = await this.#octokit.rest.repos.createRelease({
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
      throw this.#fail(`creating release ${release.tag}`, 'releases', error);
    }
  }

  async uploadReleaseAsset({ tag, name, data, contentType, keepExisting }: { tag: string; name: string; data: Buffer; contentType: string; keepExisting?: boolean }): Promise<{ url: string; uploaded: boolean }> {
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
      throw this.#fail(`attaching ${name} to release ${tag}`, 'releases', error);
    }
  }

  /** Records a Sigstore bundle in the repository's attestations (repos.createAttestation), for `gh attestation verify`. */
  async createAttestation(bundle: object): Promise<{ id?: number }> {
    try {
      const { data } = await this.#octokit.rest.repos.createAttestation({ ...this.#repository(), bundle });
      return typeof data.id === 'number' ? { id: data.id } : {};
    } catch (error) {
      throw this.#fail('recording the attestation', 'attestations', error);
    }
  }

  #repository(): { owner: string; repo: string } {
    return { owner: this.#owner, repo: this.#repo };
  }

  /** The sticky comment: the first whose body starts with the marker, over every page of the issue's comments. */
  async #findComment(issueNumber: number, marker: string): Promise<{ id: number; html_url: string; body?: string | null } | undefined> {
    try {
      const pages = this.#octokit.paginate.iterator(this.#octokit.rest.issues.listComments, { ...this.#repository(), issue_number: issueNumber, per_page: 100 });
      for await (const page of pages) {
        // Only a comment that starts with the marker counts: quoting it elsewhere must not hijack the sticky one.
        const found = page.data.find((comment) => (comment.body ?? '').trimStart().startsWith(marker));
        if (found) return found;
      }
      return undefined;
    } catch (error) {
      throw this.#fail(`listing comments of #${issueNumber}`, 'comments', error);
    }
  }

  async #getReleaseByTag(tag: string) {
    try {
      return (await this.#octokit.rest.repos.getReleaseByTag({ ...this.#repository(), tag })).data;
    } catch (error) {
      if (isRequestFailure(error) && error.status === 404) return undefined;
      throw this.#fail(`reading release ${tag}`, 'releases', error);
    }
  }

  /** Turns any failure into a ChartshipError that names the call and the fix, and never carries the token. */
  #fail(what: string, area: Area, error: unknown): ChartshipError {
    const redact = (text: string) => text.split(this.#token).join('***');
    // Octokit reports a request that got no answer at all (refused, DNS, TLS) as status 500 without a response.
    if (!isRequestFailure(error) || error.response === undefined) {
      return new ChartshipError(redact(`GitHub API: ${what} failed: ${error instanceof Error ? error.message : String(error)}`), {
        code: 'GITHUB_API',
        hint: `check that ${this.#baseUrl} is reachable`,
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
  if ((error.status === 403 || error.status === 429) && String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    return `GitHub's API rate limit is used up${Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : ''}`;
  }
  // The repository (or its organization) setting, which no `permissions:` block can grant.
  if (error.status === 403 && /not permitted to create or approve pull requests/i.test(String((error.response?.data as { message?: unknown } | undefined)?.message))) {
    return 'turn on "Allow GitHub Actions to create and approve pull requests" (repository, or organization, Settings → Actions → General → Workflow permissions), or set github-token to a GitHub App token or PAT';
  }
  if (error.status === 403) return PERMISSION_HINTS[area];
  if (error.status === 401) return 'the token is missing, expired or revoked';
  if (error.status === 404) return `check that ${repository} exists and the token can see it`;
  return undefined;
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
