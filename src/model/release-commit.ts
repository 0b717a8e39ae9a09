/** How the subject of a commit recording released versions starts: a release pull request's, and commit-bump's. */
export const RELEASE_COMMIT = 'chore(release): ';

/** The files a release commit writes: versions, constraints and their locks, and the changelog. */
const RELEASE_FILES = /(^|\/)(Chart\.(yaml|lock)|requirements\.(yaml|lock)|CHANGELOG\.md)$/;

/**
 * A commit of chartship's that records versions (squash-merged, it keeps the subject): no change of a chart, so no
 * plan counts or lists it, and neither does anything rendered from the plan's commits. One that changes any other
 * file (a template) is taken for a change like any other, so that content never goes out under a version released
 * without it.
 */
export const isReleaseCommit = (commit: { message: string; files: { path: string }[] }): boolean =>
  commit.message.startsWith(RELEASE_COMMIT) && commit.files.every((f) => RELEASE_FILES.test(f.path));
