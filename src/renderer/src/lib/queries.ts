import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { ChannelInput } from '../../../shared/contract'
import type { ApiKey } from '../../../shared/meshqu'
import { api, unwrap, unwrapWithMeta } from './api'

/**
 * Server state. Every key that concerns a tenant starts with ['tenant', id], so one tenant's rows
 * can never be served under another tenant's header, however fast the operator switches.
 */
export const qk = {
  appInfo: ['app', 'info'] as const,
  tenants: ['tenants'] as const,
  keys: (tenant: string) => ['tenant', tenant, 'keys'] as const,
  headroom: (tenant: string) => ['tenant', tenant, 'headroom'] as const,
  audit: (tenant: string) => ['tenant', tenant, 'audit'] as const,
  rotations: (tenant: string) => ['tenant', tenant, 'rotations'] as const,
  /** The tenant's last synced list from the store: painted while the network answers. */
  storedKeys: (tenant: string) => ['tenant', tenant, 'stored-keys'] as const,
  overview: ['headroom', 'overview'] as const,
  fleetCounts: ['fleet', 'counts'] as const,
  storeStatus: ['store', 'status'] as const
}

export const useAppInfo = () => useQuery({ queryKey: qk.appInfo, queryFn: async () => unwrap(await api().app.info()), staleTime: Infinity })

export const useTenants = () =>
  useQuery({ queryKey: qk.tenants, queryFn: async () => unwrap(await api().tenants.list()), refetchInterval: 15_000 })

/**
 * Every key of a tenant (all pages), from MeshQu or, offline, from the encrypted store. A tenant
 * not loaded yet is painted at once from the store (placeholder data, `servedFrom: 'local'`)
 * while the network list is on its way.
 */
export function useKeys(tenant: string | null) {
  const qc = useQueryClient()
  const stored = useQuery({
    queryKey: qk.storedKeys(tenant ?? '-'),
    enabled: tenant !== null,
    queryFn: async () => unwrapWithMeta(await api().keys.cached({ tenant: tenant! })),
    staleTime: Infinity,
    retry: false
  })
  const storedList = stored.data?.data
  return useQuery({
    queryKey: qk.keys(tenant ?? '-'),
    enabled: tenant !== null,
    queryFn: async () => {
      const reply = unwrapWithMeta(await api().keys.listAll({ tenant: tenant! }))
      // A fresh list changed the store: the sidebar's counts follow.
      if (reply.meta.servedFrom === 'network') void qc.invalidateQueries({ queryKey: qk.fleetCounts })
      return reply
    },
    placeholderData: storedList
      ? {
          data: { keys: storedList.keys, total: storedList.keys.length, pages: 0 },
          meta: { tenantId: tenant, servedFrom: 'local' as const, syncedAt: storedList.syncedAt }
        }
      : undefined,
    staleTime: 30_000,
    // Offline: keep trying in the background, backing off up to a minute.
    refetchInterval: (query) => {
      if (query.state.data?.meta.servedFrom !== 'cache') return false
      return Math.min(60_000, 5_000 * 2 ** Math.min(4, query.state.dataUpdateCount))
    }
  })
}

export function useHeadroom(tenant: string | null, intervalMs = 1000) {
  return useQuery({
    queryKey: qk.headroom(tenant ?? '-'),
    enabled: tenant !== null,
    queryFn: async () => unwrap(await api().ratelimit.status({ tenant: tenant! })),
    refetchInterval: intervalMs
  })
}

export function useAudit(tenant: string | null, enabled: boolean) {
  return useQuery({
    queryKey: qk.audit(tenant ?? '-'),
    enabled: tenant !== null && enabled,
    queryFn: async () => unwrap(await api().audit.list({ tenant: tenant!, limit: 500 })),
    retry: false
  })
}

/** Keys per status of every synced tenant, for the sidebar; from the store, no list loaded. */
export const useFleetCounts = () =>
  useQuery({ queryKey: qk.fleetCounts, queryFn: async () => unwrap(await api().fleet.counts()), refetchInterval: 60_000 })

/** The encrypted store's state: closed while the keychain is locked, with the reason. */
export const useStoreStatus = () =>
  useQuery({ queryKey: qk.storeStatus, queryFn: async () => unwrap(await api().store.status()), refetchInterval: 30_000 })

export function useRetryStore() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(await api().store.retry()),
    onSuccess: (status) => {
      qc.setQueryData(qk.storeStatus, status)
      // Everything that read the store may now have an answer.
      void qc.invalidateQueries({ queryKey: qk.fleetCounts })
      void qc.invalidateQueries({ queryKey: ['tenant'] })
    }
  })
}

export function usePendingRotations(tenant: string | null) {
  return useQuery({
    queryKey: qk.rotations(tenant ?? '-'),
    enabled: tenant !== null,
    queryFn: async () => unwrap(await api().keys.pendingRotations({ tenant: tenant! }))
  })
}

type KeysData = NonNullable<ReturnType<typeof useKeys>['data']>

/** Writes update the cached list in place: no re-listing of thousands of keys after one revoke. */
export function patchKeys(qc: QueryClient, tenant: string, fn: (keys: ApiKey[]) => ApiKey[]) {
  qc.setQueryData<KeysData>(qk.keys(tenant), (old) => (old ? { ...old, data: { ...old.data, keys: fn(old.data.keys) } } : old))
}
export const upsertKey = (qc: QueryClient, tenant: string, key: ApiKey) =>
  patchKeys(qc, tenant, (keys) => (keys.some((k) => k.id === key.id) ? keys.map((k) => (k.id === key.id ? key : k)) : [key, ...keys]))

export function useActivateTenant() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (tenant: string) => unwrap(await api().tenants.activate({ tenant })),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.tenants })
  })
}

export function useAddTenant() {
  const qc = useQueryClient()
  return useMutation({
    // The variables hold the admin key: never keep them in React Query's cache after use.
    gcTime: 0,
    mutationFn: async (input: ChannelInput<'tenants.add'>) => unwrap(await api().tenants.add(input)),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.tenants })
  })
}

export function useStartSandbox() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(await api().sandbox.start()),
    onSuccess: (res) => {
      void qc.invalidateQueries({ queryKey: qk.tenants })
      void qc.invalidateQueries({ queryKey: qk.keys(res.tenant.id) })
    }
  })
}
