import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import type { BulkJob } from '../../../../shared/contract'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'
import { useUi } from '../../lib/store'
import { bulkJobQuery, followRevokeJob, useFollowRevokeJobs as useFollowJobs } from './follow-jobs'

export { followRevokeJob } from './follow-jobs'

/** Mounted once by the frame: every bulk revoke is followed to its end, dialog open or not. */
export function useFollowRevokeJobs() {
  useFollowJobs(useQueryClient())
}

/** A bulk revocation's progress, polled until it finishes (shared by the dialog and the keys view). */
export function useBulkJob(jobId: string | null) {
  const qc = useQueryClient()
  return useQuery({ ...bulkJobQuery(qc, jobId ?? '-'), enabled: jobId !== null })
}

/** Starts the job; the keys view follows it (useApplyBulkResults) even after the dialog closes. */
export function useStartBulkRevoke(tenantId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ ids, reason }: { ids: string[]; reason?: string }) => unwrap(await api().bulk.revoke({ tenant: tenantId, ids, reason })),
    onSuccess: (job) => {
      qc.setQueryData(qk.bulkJob(job.jobId), job)
      useUi.getState().setBulkJob({ tenantId, jobId: job.jobId })
      followRevokeJob(job.jobId)
    }
  })
}

/** Cancel a running job, or retry its failed keys (never one already revoked). */
export function useBulkAction(jobId: string | null) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (what: 'cancel' | 'retry') =>
      unwrap(what === 'cancel' ? await api().bulk.cancel({ jobId: jobId! }) : await api().bulk.retryFailed({ jobId: jobId! })),
    onSuccess: (j) => {
      // A retried job is running again: its data restarts the polling.
      qc.setQueryData(qk.bulkJob(j.jobId), j)
      void qc.invalidateQueries({ queryKey: qk.bulkJob(j.jobId) })
      if (!j.finished) followRevokeJob(j.jobId)
    }
  })
}

/**
 * Clears the selection when the job ends. The revocations themselves reach the cached list and
 * the fleet store's readers through the frame's useFollowRevokeJobs, dialog open or not.
 */
export function useApplyBulkResults(tenantId: string, data: BulkJob | undefined) {
  const cleared = useRef(false)
  useEffect(() => {
    if (!data || data.tenant !== tenantId) return
    if (data.finished && !cleared.current) {
      cleared.current = true
      useUi.getState().setChecked(new Set())
    }
    if (!data.finished) cleared.current = false
  }, [data, tenantId])
}
