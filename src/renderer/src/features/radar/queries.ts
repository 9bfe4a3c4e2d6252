import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { BulkJob, ChannelInput } from '../../../../shared/contract'
import type { RadarCategory, RadarSettingsPatch } from '../../../../shared/radar'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'
import { followRevokeJob } from '../bulk'

/** The radar's own entries; everything under ['radar'] is dropped together after a write. */
export const radarKeys = {
  all: ['radar'] as const,
  summary: qk.radarSummary,
  keys: (category: RadarCategory, tenants: readonly string[] | null) => ['radar', 'keys', category, tenants?.join(',') ?? '*'] as const,
  presented: ['radar', 'presented'] as const
}

/** Counts per category and tenant, from the store only: it answers offline too. */
export function useRadarSummary() {
  return useQuery({
    queryKey: radarKeys.summary,
    queryFn: async () => unwrap(await api().radar.summary()),
    // The store changes as tenants sync; a minute keeps "as of …" honest without churning.
    refetchInterval: 60_000,
    staleTime: 10_000
  })
}

/** One category's keys across tenants (the first 1000; `truncated` says when there are more). */
export function useRadarKeys(category: RadarCategory | null, tenants: readonly string[] | null) {
  return useQuery({
    queryKey: radarKeys.keys(category ?? 'expired-active', tenants),
    enabled: category !== null,
    queryFn: async () => unwrap(await api().radar.keys({ category: category!, tenants: tenants ? [...tenants] : undefined, limit: 1000, offset: 0 }))
  })
}

/** Revoked or expired keys services still present; asks MeshQu, so it is read once per visit. */
export function useRadarPresented() {
  return useQuery({
    queryKey: radarKeys.presented,
    queryFn: async () => unwrap(await api().radar.presented({})),
    staleTime: 5 * 60_000,
    retry: false
  })
}

/** A change made outside KeyDesk acknowledged: main journals it; the radar's counts and lists follow. */
export function useAcknowledgeOutside() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (input: ChannelInput<'radar.acknowledge'>) => unwrap(await api().radar.acknowledge(input)),
    // Awaited, so the dialog closes on a list the row has already left (focus then goes to its heading).
    // Only the store's answers: still presented asks MeshQu and did not change.
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: radarKeys.summary }), qc.invalidateQueries({ queryKey: qk.radarKeysAny })])
  })
}

export function useBulkPreview() {
  return useMutation({
    mutationFn: async (items: ChannelInput<'bulk.preview'>['items']) => unwrap(await api().bulk.preview({ items }))
  })
}

/**
 * Starts a revoke across tenants; its progress is polled through features/bulk's useBulkJob, and
 * the frame follows it to the end (useFollowRevokeJobs) even when the dialog is closed early.
 */
export function useStartRevokeAcross() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (input: ChannelInput<'bulk.revokeAcross'>) => unwrap(await api().bulk.revokeAcross(input)),
    onSuccess: (job: BulkJob) => {
      qc.setQueryData(qk.bulkJob(job.jobId), job)
      followRevokeJob(job.jobId)
    }
  })
}

/**
 * The credential report: through the save dialog where there is one (Electron); elsewhere main
 * answers READ_ONLY and the caller downloads the text instead.
 */
export function useCredentialReport() {
  return useMutation({
    mutationFn: async (input: ChannelInput<'radar.report'>) => unwrap(await api().radar.report(input))
  })
}

export async function lastNotificationClick() {
  return unwrap(await api().notifications.lastClick()).click
}

export async function recentNotifications(afterSeq: number) {
  return unwrap(await api().notifications.recent({ afterSeq }))
}

/**
 * Saves changed thresholds and notification switches (settings.update merges them per environment
 * and threshold). The counts depend on them: every radar entry is read again.
 */
export function useSaveRadarSettings() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (radar: RadarSettingsPatch) => unwrap(await api().settings.update({ radar })),
    onSuccess: (settings) => {
      qc.setQueryData(qk.settings, settings)
      void qc.invalidateQueries({ queryKey: radarKeys.all })
    }
  })
}
