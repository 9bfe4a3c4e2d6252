// The bulk feature's public surface: other features and app/ import these, never its files.
export { BulkJobFooter, BulkStopRunning } from './BulkJobControls'
export { BulkJobProgress, skippedCount } from './BulkJobProgress'
export { BulkRevokeDialog } from './BulkRevokeDialog'
export { followRevokeJob, useApplyBulkResults, useBulkAction, useBulkJob, useFollowRevokeJobs } from './queries'
