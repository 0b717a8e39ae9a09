import { getOctokit } from '@actions/github';
import { ChartshipError } from '../errors.js';

/** The GitHub side of reporting: everything chartship writes to GitHub goes through these calls. */
export interface GitHubClient {
  /** Finds the comment carrying `marker` (paginated: issues.listComments with per_page 100, all pages) and updates
   *  it, else creates one. Returns the comment id and url. */
  upsertStickyComment(issueNumber: number, marker: string, body: string): Promise<{ id: number; url: string; created: boolean }>;
  /** PR(s) associated with a commit (repos.listPullRequestsAssociatedWithCommit), open ones first. */
  pullRequestForCommit(sha: string): Promise<number | undefined>;
  /** Idempotent: if a release with this tag exists, leave it (or update its body) and report created:false;
   *  else create it with make_latest: 'false' unless makeLatest. target_commitish = sha. */
  upsertRelease(release: { tag: string; name: string; body: string; sha: string; makeLatest?: boolean; prerelease?: boolean }): Promise<{
    id: number;
    url: string;
    created: boolean;
  }>;
  /** Records a Sigstore bundle in the repository's attestations (repos.createAttestation), for `gh attestation verify`. */
  createAttestation(bundle: object): Promise<{ id?: number }>;
}

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL`: `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
  owner: string;
  repo: string;
}

/** Which permission a 403 points at, per kind of call. */
type Area = 'comments' | 'pulls' | 'releases' | 'attestations';
const PERMISSION_HINTS: Record<Area, string> = {
  comments:
    'give the workflow `permissions: pull-requests: write`; pull requests from forks only get a read-only token',
  pulls: 'give the workflow `permissions: pull-requests: read`',
  releases: 'give the workflow `permissions: contents: write`',
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
  return errors.map((e) => (typeof e === 'object' && e !== null ? String((e as { code?: unknown }).code ?? '') : String(e)));
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const { token, owner, repo } = options;
  let baseUrl: string;
  try {
    const url = new URL(options.apiUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    baseUrl = url.href.replace(/\/+$/, '');
  } catch {
    throw new ChartshipError(`GitHub API URL ${JSON.stringify(options.apiUrl)} is not an http(s) URL`, {
      field: 'github-api-url',
      code: 'GITHUB_API_URL_INVALID',
      hint: 'use the value of GITHUB_API_URL, e.g. https://api.github.com or https://HOST/api/v3',
    });
  }
  if (!token) {
    throw new ChartshipError('no GitHub token was given', { field: 'github-token', code: 'GITHUB_TOKEN_MISSING', hint: 'pass `github-token: ${{ github.token }}`' });
  }
  const octokit = getOctokit(token, { baseUrl });

  /** Turns any failure into a ChartshipError that names the call and the fix, and never carries the token. */
  const fail = (what: string, area: Area, error: unknown): ChartshipError => {
    const redact = (text: string) => (token ? text.split(token).join('***') : text);
    // Octokit reports a request that got no answer at all (refused, DNS, TLS) as status 500 without a response.
    if (!isRequestFailure(error) || error.response === undefined) {
      return new ChartshipError(redact(`GitHub API: ${what} failed: ${error instanceof Error ? error.message : String(error)}`), {
        code: 'GITHUB_API',
        hint: `check that ${baseUrl} is reachable`,
      });
    }
    const data = error.response?.data as { message?: unknown } | undefined;
    const message = typeof data?.message === 'string' ? data.message : '';
    const headers = error.response?.headers ?? {};
    let hint: string | undefined;
    if ((error.status === 403 || error.status === 429) && String(headers['x-ratelimit-remaining']) === '0') {
      const reset = Number(headers['x-ratelimit-reset']);
      hint = `GitHub's API rate limit is used up${Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : ''}`;
    } else if (error.status === 403) {
      hint = PERMISSION_HINTS[area];
    } else if (error.status === 401) {
      hint = 'the token is missing, expired or revoked';
    } else if (error.status === 404) {
      hint = `check that ${owner}/${repo} exists and the token can see it`;
    }
    return new ChartshipError(redact(`GitHub API: ${what} failed with HTTP ${error.status}${message ? `: ${message}` : ''}`), {
      code: `GITHUB_${error.status}`,
      hint,
    });
  };

  const getReleaseByTag = async (tag: string) => {
    try {
      return (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag })).data;
    } catch (error) {
      if (isRequestFailure(error) && error.status === 404) return undefined;
      throw fail(`reading release ${tag}`, 'releases', error);
    }
  };

  return {
    async upsertStickyComment(issueNumber, marker, body) {
      if (marker.trim() === '') throw new ChartshipError('the sticky comment marker is empty', { field: 'marker', code: 'MARKER_INVALID' });
      // The marker is how the next run finds this comment again; without it every run would add one.
      const text = body.startsWith(marker) ? body : `${marker}\n${body}`;
      let existing: { id: number; html_url: string; body?: string | null } | undefined;
      try {
        const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
        for await (const page of pages) {
          // Only a comment that starts with the marker counts: quoting it elsewhere must not hijack the sticky one.
          existing = page.data.find((comment) => (comment.body ?? '').trimStart().startsWith(marker));
          if (existing) break;
        }
      } catch (error) {
        throw fail(`listing comments of #${issueNumber}`, 'comments', error);
      }
      if (existing) {
        if (existing.body !== text) {
          try {
            await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: text });
          } catch (error) {
            throw fail(`updating comment ${existing.id} on #${issueNumber}`, 'comments', error);
          }
        }
        return { id: existing.id, url: existing.html_url, created: false };
      }
      try {
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: text });
        return { id: data.id, url: data.html_url, created: true };
      } catch (error) {
        throw fail(`commenting on #${issueNumber}`, 'comments', error);
      }
    },

    async pullRequestForCommit(sha) {
      try {
        const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 100 });
        const open = data.find((pull) => pull.state === 'open');
        return (open ?? data[0])?.number;
      } catch (error) {
        // 422: GitHub does not know the commit (not pushed yet): it has no pull request either.
        if (isRequestFailure(error) && error.status === 422) return undefined;
        throw fail(`finding the pull request of ${sha.slice(0, 12)}`, 'pulls', error);
      }
    },

    async createAttestation(bundle) {
      try {
        const { data } = await octokit.rest.repos.createAttestation({ owner, repo, bundle: bundle as never });
        return typeof data.id === 'number' ? { id: data.id } : {};
      } catch (error) {
        throw fail('recording the attestation', 'attestations', error);
      }
    },

    async upsertRelease(release) {
      const found = await getReleaseByTag(release.tag);
      if (found) {
        if ((found.body ?? '') !== release.body) {
          try {
            await octokit.rest.repos.updateRelease({ owner, repo, release_id: found.id, body: release.body });
          } catch (error) {
            throw fail(`updating release ${release.tag}`, 'releases', error);
          }
        }
        return { id: found.id, url: found.html_url, created: false };
      }
      try {
        const { data } = await octokit.rest.repos.createRelease({
          owner,
          repo,
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
          const raced = await getReleaseByTag(release.tag);
          if (raced) return { id: raced.id, url: raced.html_url, created: false };
        }
        throw fail(`creating release ${release.tag}`, 'releases', error);
      }
    },
  };
}
