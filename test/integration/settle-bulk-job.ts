import type { Core } from '../../src/main/core'
import type { BulkJob } from '../../src/shared/contract'

/** Polls bulk.status until the job has finished; throws past `timeoutMs` or on a failed reply. */
export async function settleBulkJob(core: Core, jobId: string, { timeoutMs = 30_000, pollMs = 25 } = {}): Promise<BulkJob> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const r = await core.invoke('bulk.status', { jobId })
    if (!r.ok) throw new Error(`bulk.status: ${r.error.code}: ${r.error.message}`)
    const job = r.data as BulkJob
    if (job.finished) return job
    if (Date.now() > until) throw new Error('bulk job did not finish')
    await new Promise((done) => setTimeout(done, pollMs))
  }
}
