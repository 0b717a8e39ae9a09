export { renderDryRunComment, renderPlanComment } from './plan-comment.js';
export { publishCommentOver, renderPublishComment } from './publish-comment.js';
export { renderReleaseBody } from './release-body.js';
export { renderPlanSummary, renderSummary } from './summary.js';
export { stickyMarker, type ReportContext } from './context.js';
