import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CreateKeyBody } from '../../../../shared/meshqu'
import type { ScheduleWhen } from '../../../../shared/schedule'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'
import { upsertKey } from '../keys/queries'

/** Creates a key; the new row goes into the cached list at once (no re-listing). */
export function useCreateKey(tenantId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (key: CreateKeyBody) => unwrap(await api().keys.create({ tenant: tenantId, key })),
    onSuccess: (res) => upsertKey(qc, tenantId, res.key)
  })
}

/** Creates the replacement (same scopes); both rows are updated in the cached list. */
export function useRotateKey(tenantId: string, oldKeyId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (input: { name: string; expires_at: string | null | undefined; reason?: string }) =>
      unwrap(await api().keys.rotate({ tenant: tenantId, id: oldKeyId, name: input.name, expires_at: input.expires_at ?? null, reason: input.reason })),
    onSuccess: (res) => {
      upsertKey(qc, tenantId, res.created.key)
      upsertKey(qc, tenantId, res.old)
    }
  })
}

/** Revokes the old key now, schedules its revoke, or keeps it as a pending rotation ("Later"). */
export function useFinishRotation(tenantId: string, oldKeyId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ newKeyId, revokeOld, schedule, reason }: { newKeyId: string; revokeOld: boolean; schedule?: ScheduleWhen; reason?: string }) =>
      unwrap(await api().keys.finishRotation({ tenant: tenantId, oldKeyId, newKeyId, revokeOld, schedule, reason })),
    onSuccess: (res) => {
      if (res.old) upsertKey(qc, tenantId, res.old)
      void qc.invalidateQueries({ queryKey: qk.rotations(tenantId) })
    }
  })
}
