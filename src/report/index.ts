export { renderPlanComment } from './plan-comment.js';
export { renderPublishComment } from './publish-comment.js';
export { renderReleaseBody } from './release-body.js';
export { renderSummary } from './summary.js';
export { stickyMarker, type ReportContext } from './context.js';
