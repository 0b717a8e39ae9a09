/** How the subject of a commit recording released versions starts: a release pull request's, and commit-bump's. */
export const RELEASE_COMMIT = 'chore(release): ';

/**
 * A commit of chartship's that records versions (squash-merged, it keeps the subject): no change of a chart, so no
 * plan counts or lists it, and neither does anything rendered from the plan's commits.
 */
export const isReleaseCommit = (message: string): boolean => message.startsWith(RELEASE_COMMIT);
