import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { BulkJob, ChannelInput } from '../../../../shared/contract'
import type { RadarCategory, RadarSettingsPatch } from '../../../../shared/radar'
import { api, unwrap, unwrapWithMeta } from '../../lib/api'
import { qk } from '../../lib/query-keys'

/** The radar's own entries; everything under ['radar'] is dropped together after a write. */
export const radarKeys = {
  all: ['radar'] as const,
  summary: ['radar', 'summary'] as const,
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

/**
 * After revocations: main's store learns of them only when a tenant's list is read again, so the
 * touched tenants are listed (the answer also becomes their cached keys list, as useKeys keeps
 * it), then the radar's counts and drill-down are read again. Still-presented keys are not: they
 * come from MeshQu's audit log, not from these keys.
 */
export async function resyncAfterRevoke(qc: QueryClient, tenants: readonly string[]) {
  await Promise.all(
    tenants.map(async (tenant) => {
      try {
        qc.setQueryData(qk.keys(tenant), unwrapWithMeta(await api().keys.listAll({ tenant })))
      } catch {
        // Offline or refused: the tenant keeps its list in the fleet store, and says how old it is.
      }
    })
  )
  void qc.invalidateQueries({ queryKey: qk.fleetCounts })
  void qc.invalidateQueries({ queryKey: radarKeys.summary })
  void qc.invalidateQueries({ queryKey: ['radar', 'keys'] })
}

export function useBulkPreview() {
  return useMutation({
    mutationFn: async (items: ChannelInput<'bulk.preview'>['items']) => unwrap(await api().bulk.preview({ items }))
  })
}

/** Starts a revoke across tenants; its progress is polled through features/bulk's useBulkJob. */
export function useStartRevokeAcross() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (input: ChannelInput<'bulk.revokeAcross'>) => unwrap(await api().bulk.revokeAcross(input)),
    onSuccess: (job: BulkJob) => qc.setQueryData(qk.bulkJob(job.jobId), job)
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
