import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import type { BulkJob } from '../../../../shared/contract'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'
import { useUi } from '../../lib/store'
import { patchKeys } from '../keys/queries'

const POLL_MS = 250

/** A bulk revocation's progress, polled until it finishes (shared by the dialog and the keys view). */
export function useBulkJob(jobId: string | null) {
  return useQuery({
    queryKey: qk.bulkJob(jobId),
    enabled: jobId !== null,
    queryFn: async () => unwrap(await api().bulk.status({ jobId: jobId! })),
    refetchInterval: (q) => (q.state.data?.finished || q.state.status === 'error' ? false : POLL_MS),
    refetchIntervalInBackground: true,
    retry: 1
  })
}

/** Starts the job; the keys view follows it (useApplyBulkResults) even after the dialog closes. */
export function useStartBulkRevoke(tenantId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ ids, reason }: { ids: string[]; reason?: string }) => unwrap(await api().bulk.revoke({ tenant: tenantId, ids, reason })),
    onSuccess: (job) => {
      qc.setQueryData(qk.bulkJob(job.jobId), job)
      useUi.getState().setBulkJob({ tenantId, jobId: job.jobId })
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
    }
  })
}

/**
 * Reflects each revocation in the cached key list as it arrives (no re-listing) and clears the
 * selection when the job ends. Runs in the keys view, so it carries on after the dialog closes.
 */
export function useApplyBulkResults(tenantId: string, data: BulkJob | undefined) {
  const qc = useQueryClient()
  const patched = useRef(new Set<string>())
  const cleared = useRef(false)
  useEffect(() => {
    if (!data || data.tenant !== tenantId) return
    const fresh = data.results.filter((r) => r.state === 'revoked' && !patched.current.has(r.id)).map((r) => r.id)
    if (fresh.length) {
      for (const id of fresh) patched.current.add(id)
      const at = new Date().toISOString()
      const ids = new Set(fresh)
      patchKeys(qc, tenantId, (keys) => keys.map((k) => (ids.has(k.id) ? { ...k, revoked_at: k.revoked_at ?? at, is_active: false } : k)))
    }
    if (data.finished && !cleared.current) {
      cleared.current = true
      useUi.getState().setChecked(new Set())
      void qc.invalidateQueries({ queryKey: qk.rotations(tenantId) })
    }
    if (!data.finished) cleared.current = false
  }, [data, qc, tenantId])
}
