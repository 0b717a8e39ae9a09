/** A pull request as chartship reads it from GitHub (release pull requests, the pull request of a commit). */
export interface PullRequest {
  number: number;
  url: string;
  state: 'open' | 'closed';
  merged: boolean;
  /** The head branch when it is a branch of this repository; undefined for a fork's. */
  head?: string;
  base: string;
  title: string;
  body: string;
}

/** chartship's comment on a pull request, as posted. */
export interface StickyComment {
  id: number;
  url: string;
  created: boolean;
}
