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
  overview: ['headroom', 'overview'] as const
}

export const useAppInfo = () => useQuery({ queryKey: qk.appInfo, queryFn: async () => unwrap(await api().app.info()), staleTime: Infinity })

export const useTenants = () =>
  useQuery({ queryKey: qk.tenants, queryFn: async () => unwrap(await api().tenants.list()), refetchInterval: 15_000 })

/** Every key of a tenant (all pages), from MeshQu or, offline, from the encrypted snapshot. */
export function useKeys(tenant: string | null) {
  return useQuery({
    queryKey: qk.keys(tenant ?? '-'),
    enabled: tenant !== null,
    queryFn: async () => unwrapWithMeta(await api().keys.listAll({ tenant: tenant! })),
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
