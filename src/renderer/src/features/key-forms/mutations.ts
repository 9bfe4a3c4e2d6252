import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CreateKeyBody } from '../../../../shared/meshqu'
import type { ScheduleWhen } from '../../../../shared/schedule'
import type { WaiverInput } from '../../../../shared/policy'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'
import { useToasts } from '../../ui/Toast'
import { fleetStoreChanged } from '../../lib/fleet-store-reads'
import { markRevoked, upsertKey } from '../../lib/key-cache'

/** Creates a key; the new row goes into the cached list at once (no re-listing). */
export function useCreateKey(tenantId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ key, waiver }: { key: CreateKeyBody; waiver?: WaiverInput }) =>
      unwrap(await api().keys.create({ tenant: tenantId, key, waiver })),
    onSuccess: (res) => {
      upsertKey(qc, tenantId, res.key)
      fleetStoreChanged(qc, [tenantId])
      useToasts.getState().show(`Key ${res.key.name} created.`)
    }
  })
}

/** Creates the replacement (same scopes); both rows are updated in the cached list. */
export function useRotateKey(tenantId: string, oldKeyId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (input: { name: string; expires_at: string | null | undefined; reason?: string; waiver?: WaiverInput }) =>
      unwrap(
        await api().keys.rotate({
          tenant: tenantId,
          id: oldKeyId,
          name: input.name,
          expires_at: input.expires_at ?? null,
          reason: input.reason,
          waiver: input.waiver
        })
      ),
    onSuccess: (res) => {
      upsertKey(qc, tenantId, res.created.key)
      upsertKey(qc, tenantId, res.old)
      fleetStoreChanged(qc, [tenantId])
      useToasts.getState().show(`Key ${res.old.name} rotated: ${res.created.key.name} replaces it.`)
    }
  })
}

/** Revokes the old key now, schedules its revoke, or keeps it as a pending rotation ("Later"). */
export function useFinishRotation(tenantId: string, oldKeyId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({
      newKeyId,
      revokeOld,
      schedule,
      reason
    }: {
      newKeyId: string
      revokeOld: boolean
      schedule?: ScheduleWhen
      reason?: string
    }) => unwrap(await api().keys.finishRotation({ tenant: tenantId, oldKeyId, newKeyId, revokeOld, schedule, reason })),
    onSuccess: (res, { revokeOld }) => {
      if (res.old) upsertKey(qc, tenantId, res.old)
      else if (revokeOld) markRevoked(qc, tenantId, [oldKeyId])
      void qc.invalidateQueries({ queryKey: qk.rotations(tenantId) })
      fleetStoreChanged(qc, [tenantId])
    }
  })
}

/**
 * Rotating KeyDesk's own admin key: main adopts the replacement straight from its reveal slot
 * (tenants.update verifies it with one real call, then stores it in the keychain), and only then
 * is the old key revoked — never the other way round, which would lock KeyDesk out.
 */
export function useAdoptRotatedAdminKey(tenantId: string, oldKeyId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ newKeyId, revealId }: { newKeyId: string; revealId: string }) => {
      unwrap(await api().tenants.update({ tenant: tenantId, adminKeyRevealId: revealId }))
      // The new key is in the keychain; its plaintext is not needed anywhere else.
      await api().secrets.discard({ revealId })
      return unwrap(await api().keys.finishRotation({ tenant: tenantId, oldKeyId, newKeyId, revokeOld: true }))
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: qk.tenants })
      void qc.invalidateQueries({ queryKey: qk.rotations(tenantId) })
    },
    onSuccess: (res) => {
      if (res.old) upsertKey(qc, tenantId, res.old)
      else markRevoked(qc, tenantId, [oldKeyId])
      fleetStoreChanged(qc, [tenantId])
    }
  })
}

/** Drops a reveal slot the operator chose not to open. */
export function useDiscardReveal() {
  return useMutation({ mutationFn: async (revealId: string) => unwrap(await api().secrets.discard({ revealId })) })
}
