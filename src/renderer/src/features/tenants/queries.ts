import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { ChannelInput, ChannelOutput } from '../../../../shared/contract'
import type { TenantStatus } from '../../../../shared/tenants'
import { api, onReplyMeta, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'

type TenantList = ChannelOutput<'tenants.list'>

export const useTenants = () => useQuery({ queryKey: qk.tenants, queryFn: async () => unwrap(await api().tenants.list()) })

/** Writes one tenant's status into the cached tenant list (the sidebar's dot), if it changed. */
export function setTenantStatus(qc: QueryClient, tenantId: string, status: TenantStatus) {
  qc.setQueryData<TenantList>(qk.tenants, (old) => {
    if (!old || !old.tenants.some((t) => t.id === tenantId && t.status !== status)) return old
    return { ...old, tenants: old.tenants.map((t) => (t.id === tenantId ? { ...t, status } : t)) }
  })
}

/**
 * Every reply names its tenant's status in its meta (online, offline, admin key refused…): the
 * sidebar follows it from there, so no call ever has to re-read the tenant list to refresh a dot.
 */
export function useTenantStatusFromReplies() {
  const qc = useQueryClient()
  useEffect(
    () =>
      onReplyMeta((meta) => {
        if (meta.tenantId && meta.tenantStatus) setTenantStatus(qc, meta.tenantId, meta.tenantStatus)
      }),
    [qc]
  )
}

/** Remembers the tenant shown last (restored on start); the cached list learns it without a re-read. */
export function useActivateTenant() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (tenant: string) => unwrap(await api().tenants.activate({ tenant })),
    onSuccess: ({ activeId }) => qc.setQueryData<TenantList>(qk.tenants, (old) => (old ? { ...old, activeId } : old))
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

export function useUpdateTenant(tenantId: string) {
  const qc = useQueryClient()
  return useMutation({
    // May carry a replacement admin key: not kept in React Query's cache after use.
    gcTime: 0,
    mutationFn: async (patch: Omit<ChannelInput<'tenants.update'>, 'tenant'>) => unwrap(await api().tenants.update({ ...patch, tenant: tenantId })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.tenants })
      // A new admin key (or environment) may change every answer about this tenant.
      void qc.invalidateQueries({ queryKey: qk.tenant(tenantId) })
    }
  })
}

export function useRemoveTenant(tenantId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (confirmLabel: string | undefined) => unwrap(await api().tenants.remove({ tenant: tenantId, confirmLabel })),
    onSuccess: () => {
      qc.removeQueries({ queryKey: qk.tenant(tenantId) })
      void qc.invalidateQueries({ queryKey: qk.tenants })
      void qc.invalidateQueries({ queryKey: qk.fleetCounts })
    }
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
