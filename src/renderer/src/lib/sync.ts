import { useEffect, useRef } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { isStale, type SyncStatus, type TenantSync } from '../../../shared/sync'
import { api, unwrap } from './api'
import { qk } from './query-keys'
import { fleetStoreChanged } from './fleet-store-reads'
import { pollUnlessLive } from './event-link'

/**
 * How often the fleet sync's status is asked while nothing runs, and while a run is in progress,
 * when main's events do not arrive. While they do, `sync.changed` asks again at once and these
 * slow to a fallback.
 */
export const SYNC_POLL_MS = 3_000
export const SYNC_POLL_RUNNING_MS = 1_000
const SYNC_FALLBACK_MS = 30_000

/** Background sync of the fleet: progress, each tenant's freshness and status (main's clock in `now`). */
export const useSyncStatus = () =>
  useQuery({
    queryKey: qk.syncStatus,
    queryFn: async () => unwrap(await api().sync.status()),
    refetchInterval: (q) => pollUnlessLive(q.state.data?.running ? SYNC_POLL_RUNNING_MS : SYNC_POLL_MS, SYNC_FALLBACK_MS),
    refetchIntervalInBackground: true
  })

/** Whether data synced at a time is stale (older than two sync periods; main's setting, 15 min until it answers). */
export function useIsStale(): (syncedAt: number | null) => boolean {
  const { data } = useSyncStatus()
  const periodMs = data?.periodMs ?? 15 * 60_000
  return (syncedAt) => isStale(syncedAt, periodMs, Date.now())
}

/** One tenant's freshness, or undefined before the first answer. */
export function useTenantSync(tenant: string | null): TenantSync | undefined {
  const { data } = useSyncStatus()
  return tenant ? data?.tenants.find((t) => t.tenant === tenant) : undefined
}

export function useSyncAll() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(await api().sync.all()),
    onSuccess: (s) => qc.setQueryData(qk.syncStatus, s)
  })
}

export function useCancelSync() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(await api().sync.cancel()),
    onSuccess: (s) => qc.setQueryData(qk.syncStatus, s)
  })
}

/**
 * Follows the fleet sync for the whole frame: a tenant whose status changed (its host went or came
 * back, a 429 ended, a write settled) brings the tenant list and, when it is the active one, its
 * key list up to date; a tenant synced in the background makes every answer read from the fleet
 * store stale (search all, the radar, the counts). Nobody has to visit or click.
 */
export function useFollowFleetSync(activeTenant: string | null) {
  const qc = useQueryClient()
  const { data } = useSyncStatus()
  const seen = useRef<Map<string, TenantSync> | null>(null)
  useEffect(() => {
    if (!data) return
    const before = seen.current
    seen.current = new Map(data.tenants.map((t) => [t.tenant, t]))
    if (!before) return
    const statusChanged: string[] = []
    const synced: string[] = []
    for (const t of data.tenants) {
      const was = before.get(t.tenant)
      if (!was) continue
      if (was.status !== t.status || was.settling !== t.settling) statusChanged.push(t.tenant)
      if (t.syncedAt !== null && t.syncedAt !== was.syncedAt) synced.push(t.tenant)
    }
    if (statusChanged.length) void qc.invalidateQueries({ queryKey: qk.tenants })
    if (synced.length) fleetStoreChanged(qc, synced)
    const now = activeTenant ? seen.current.get(activeTenant) : undefined
    const shown = activeTenant ? qc.getQueryData<{ meta: { syncedAt: number | null; servedFrom: string } }>(qk.keys(activeTenant)) : undefined
    if (activeTenant && now && shown) {
      const fromStore = shown.meta.servedFrom === 'store'
      // Its host went (the list on screen is MeshQu's) or came back (it is the store's): ask again,
      // so the banner follows. A list already this fresh is left alone (it may carry "Back online").
      const turned = statusChanged.includes(activeTenant) && ((now.status === 'offline' && !fromStore) || (now.status === 'online' && fromStore))
      const newer = synced.includes(activeTenant) && !fromStore && now.syncedAt !== null && (shown.meta.syncedAt ?? 0) < now.syncedAt
      if (turned || newer) void qc.invalidateQueries({ queryKey: qk.keys(activeTenant), exact: true })
    }
  }, [data, qc, activeTenant])
}

export type { SyncStatus, TenantSync }
