/**
 * The CI events that run for changes not merged yet: every `pull_request…` event (the pull request itself,
 * `pull_request_target`, a review, a review comment: each carries the pull request and its head) and a merge queue's
 * `merge_group` (pull requests the queue may still drop). Such a run only plans: publishing, pushing a bump or a
 * release branch from it would release what was never merged.
 */
export function isUnmergedChangeEvent(eventName: string | undefined): boolean {
  return eventName !== undefined && (eventName.startsWith('pull_request') || eventName === 'merge_group');
}
