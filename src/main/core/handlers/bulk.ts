import type { BulkRevoker } from '../jobs/bulk-revoke'
import type { Handlers } from '../router'

/** Bulk revocation is a job the renderer polls, so every transport stays request/response. */
export function bulkHandlers(d: { bulk: BulkRevoker }): Pick<Handlers, 'bulk.revoke' | 'bulk.status' | 'bulk.cancel' | 'bulk.retryFailed'> {
  return {
    'bulk.revoke': async ({ tenant, ids }) => ({ data: await d.bulk.start(tenant, ids) }),
    'bulk.status': async ({ jobId }) => ({ data: d.bulk.status(jobId) }),
    'bulk.cancel': async ({ jobId }) => ({ data: d.bulk.cancel(jobId) }),
    'bulk.retryFailed': async ({ jobId }) => ({ data: d.bulk.retryFailed(jobId) })
  }
}
