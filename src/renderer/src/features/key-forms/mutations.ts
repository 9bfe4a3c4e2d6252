import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CreateKeyBody } from '../../../../shared/meshqu'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'
import { useToasts } from '../../ui/Toast'
import { upsertKey } from '../keys/queries'

/** Creates a key; the new row goes into the cached list at once (no re-listing). */
export function useCreateKey(tenantId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (key: CreateKeyBody) => unwrap(await api().keys.create({ tenant: tenantId, key })),
    onSuccess: (res) => {
      upsertKey(qc, tenantId, res.key)
      useToasts.getState().show(`Key ${res.key.name} created.`)
    }
  })
}

/** Creates the replacement (same scopes); both rows are updated in the cached list. */
export function useRotateKey(tenantId: string, oldKeyId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (input: { name: string; expires_at: string | null | undefined }) =>
      unwrap(await api().keys.rotate({ tenant: tenantId, id: oldKeyId, name: input.name, expires_at: input.expires_at ?? null })),
    onSuccess: (res) => {
      upsertKey(qc, tenantId, res.created.key)
      upsertKey(qc, tenantId, res.old)
      useToasts.getState().show(`Key ${res.old.name} rotated: ${res.created.key.name} replaces it.`)
    }
  })
}

/** Revokes the old key now, or keeps it as a pending rotation ("Later"). */
export function useFinishRotation(tenantId: string, oldKeyId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ newKeyId, revokeOld }: { newKeyId: string; revokeOld: boolean }) =>
      unwrap(await api().keys.finishRotation({ tenant: tenantId, oldKeyId, newKeyId, revokeOld })),
    onSuccess: (res) => {
      if (res.old) upsertKey(qc, tenantId, res.old)
      void qc.invalidateQueries({ queryKey: qk.rotations(tenantId) })
    }
  })
}
