import type { createGitHubClient, GitHubClientOptions } from './github.js';

/** The client's public methods (what callers see of it). */
type GitHubClient = { [K in keyof ReturnType<typeof createGitHubClient>]: ReturnType<typeof createGitHubClient>[K] };

/**
 * The GitHub client, with Octokit read at the first call: the token is
 * there on every run, but a run reaches GitHub only at its end, to comment or release, and often not at all.
 * The object literal is typed as the whole client, so a method added to the client fails the build here
 * until it is forwarded too.
 */
export function lazyGitHubClient(options: GitHubClientOptions): GitHubClient {
  let client: Promise<GitHubClient> | undefined;
  const load = (): Promise<GitHubClient> => (client ??= import('./github.js').then((m) => m.createGitHubClient(options)));
  return {
    // Overloaded (a body or a function of the comment found): forwarded as the one it is called as.
    upsertStickyComment: async (...args: [number, string, never]) => (await load()).upsertStickyComment(...args),
    pullRequestForCommit: async (...args) => (await load()).pullRequestForCommit(...args),
    pullRequestsOfCommit: async (...args) => (await load()).pullRequestsOfCommit(...args),
    openPullRequests: async (...args) => (await load()).openPullRequests(...args),
    createPullRequest: async (...args) => (await load()).createPullRequest(...args),
    updatePullRequest: async (...args) => (await load()).updatePullRequest(...args),
    branchProtection: async (...args) => (await load()).branchProtection(...args),
    lastSuccessfulPushRun: async (...args) => (await load()).lastSuccessfulPushRun(...args),
    upsertRelease: async (...args) => (await load()).upsertRelease(...args),
    uploadReleaseAsset: async (...args) => (await load()).uploadReleaseAsset(...args),
    createAttestation: async (...args) => (await load()).createAttestation(...args),
    findAttestation: async (...args) => (await load()).findAttestation(...args),
  };
}
