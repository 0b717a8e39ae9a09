import type { GitHubClient } from '../pipeline/github.js';
import type { GitHubClientOptions } from '../report/github.js';

/**
 * The GitHub client, with Octokit (and its table of every REST endpoint) read at the first call: the token is
 * there on every run, but a run reaches GitHub only at its end, to comment or release, and often not at all.
 */
export function lazyGitHubClient(options: GitHubClientOptions): GitHubClient {
  let client: Promise<GitHubClient> | undefined;
  const load = (): Promise<GitHubClient> => (client ??= import('../report/github.js').then((m) => m.createGitHubClient(options)));
  return {
    upsertStickyComment: async (...args) => (await load()).upsertStickyComment(...args),
    pullRequestForCommit: async (...args) => (await load()).pullRequestForCommit(...args),
    upsertRelease: async (...args) => (await load()).upsertRelease(...args),
    uploadReleaseAsset: async (...args) => (await load()).uploadReleaseAsset(...args),
    createAttestation: async (...args) => (await load()).createAttestation(...args),
  };
}
