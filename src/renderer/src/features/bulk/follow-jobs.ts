import { useQueries, type QueryClient } from '@tanstack/react-query'
import { create } from 'zustand'
import type { BulkJob } from '../../../../shared/contract'
import { api, unwrap } from '../../lib/api'
import { fleetStoreChanged } from '../../lib/fleet-store-reads'
import { qk } from '../../lib/query-keys'
import { markRevoked } from '../../lib/key-cache'
import { pollUnlessLive } from '../../lib/event-link'

export const BULK_POLL_MS = 250
/** With main's events arriving (job.progress asks for each step), polling is only a fallback. */
const BULK_FALLBACK_MS = 2_000
/** While a job runs, the fleet store's readers (radar, search, counts) are asked again at most this often. */
const STORE_READS_EVERY_MS = 2_000

/** Revoke jobs the frame follows to their end, whichever dialog or view started them. */
const useFollowed = create<{ jobs: string[] }>(() => ({ jobs: [] }))
const lastStoreRead = new Map<string, number>()

/** Follows a started (or retried) bulk revoke until it finishes, even if its dialog is closed. */
export function followRevokeJob(jobId: string) {
  useFollowed.setState((s) => (s.jobs.includes(jobId) ? s : { jobs: [...s.jobs, jobId] }))
}
const forget = (jobId: string) => useFollowed.setState((s) => ({ jobs: s.jobs.filter((j) => j !== jobId) }))

/**
 * One poll of a bulk revoke, whoever asks (a dialog, the keys view, the frame): the keys revoked
 * since the last answer are marked in their tenants' cached lists, and the fleet store's readers
 * are asked again as revocations land and when the job ends. Main has already written each
 * revocation into its store; nothing here re-lists a tenant.
 */
export async function readBulkJob(qc: QueryClient, jobId: string): Promise<BulkJob> {
  const before = qc.getQueryData<BulkJob>(qk.bulkJob(jobId))
  const job = unwrap(await api().bulk.status({ jobId }))
  const was = new Set(before?.results.filter((r) => r.state === 'revoked').map((r) => `${r.tenant}\n${r.id}`))
  const byTenant = new Map<string, string[]>()
  for (const r of job.results) {
    if (r.state === 'revoked' && !was.has(`${r.tenant}\n${r.id}`)) byTenant.set(r.tenant, [...(byTenant.get(r.tenant) ?? []), r.id])
  }
  for (const [tenant, ids] of byTenant) markRevoked(qc, tenant, ids)
  const ended = job.finished && before?.finished !== true
  if (ended) {
    forget(jobId)
    lastStoreRead.delete(jobId)
    for (const t of job.tenants) void qc.invalidateQueries({ queryKey: qk.rotations(t) })
    fleetStoreChanged(qc, job.tenants)
  } else if (byTenant.size && Date.now() - (lastStoreRead.get(jobId) ?? 0) >= STORE_READS_EVERY_MS) {
    lastStoreRead.set(jobId, Date.now())
    fleetStoreChanged(qc, byTenant.keys())
  }
  return job
}

/** The polling options every reader of a bulk job shares. */
export const bulkJobQuery = (qc: QueryClient, jobId: string) => ({
  queryKey: qk.bulkJob(jobId),
  queryFn: () => readBulkJob(qc, jobId),
  refetchInterval: (q: { state: { data?: BulkJob; status: string } }) =>
    q.state.data?.finished || q.state.status === 'error' ? false : pollUnlessLive(BULK_POLL_MS, BULK_FALLBACK_MS),
  refetchIntervalInBackground: true,
  retry: 1
})

/** Mounted once by the frame: keeps polling every followed job until it ends (readBulkJob does the rest). */
export function useFollowRevokeJobs(qc: QueryClient) {
  const jobs = useFollowed((s) => s.jobs)
  useQueries({ queries: jobs.map((jobId) => bulkJobQuery(qc, jobId)) })
}
