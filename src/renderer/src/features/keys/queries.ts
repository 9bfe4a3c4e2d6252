import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ChannelOutput } from '../../../../shared/contract'
import type { KeyStatus } from '../../../../shared/key-view'
import type { ApiKey } from '../../../../shared/meshqu'
import { api, appErrorOf, unwrap, unwrapWithMeta } from '../../lib/api'
import { useToasts } from '../../ui/Toast'
import { qk } from '../../lib/query-keys'
import { fleetStoreChanged } from '../../lib/fleet-store-reads'
import { markRevoked, upsertKey } from '../../lib/key-cache'

/**
 * Rows a cold switch paints before the list in the fleet store is in: more than a tall window shows (rows are
 * 44 px), a few dozen KB against the whole list's ~4 MB for 10,000 keys.
 */
export const FIRST_ROWS = 100

/**
 * Set while only the first rows of the list in the fleet store are in (keys.fromStoreHead): `data.keys` is the
 * list's first rows in the default sort, and this is what the view needs to know of the rest.
 */
export interface FirstRowsOnly {
  total: number
  counts: Record<KeyStatus, number>
}

type KeysReply = ReturnType<typeof unwrapWithMeta<ChannelOutput<'keys.listAll'>>>
export type KeysData = KeysReply & { firstRowsOnly?: FirstRowsOnly }

/** A tenant's last synced list from the fleet store, parsed. */
export interface StoredList {
  keys: ApiKey[]
  syncedAt: number
}

/**
 * keys.fromStore's list, parsed here and only here: main sends the stored rows as one JSON text
 * (keys parsed with ApiKeySchema when they entered KeyDesk; contract.ts, StoreKeysJsonSchema), so
 * 10,000 keys are parsed once, in the page, instead of in main and again off the wire.
 */
export function parseStoredList(reply: ChannelOutput<'keys.fromStore'>): StoredList | null {
  return reply && { keys: JSON.parse(reply.keysJson) as ApiKey[], syncedAt: reply.syncedAt }
}

/**
 * Each tenant's keys.fromStoreHead while it is on its way (settled either way): keys.fromStore
 * waits for it. A query's own state cannot say so in time: the frame's useKeys (no head of its
 * own) starts keys.fromStore in the same commit as the view's head, before either re-renders.
 */
const headsOnTheirWay = new Map<string, Promise<void>>()

/**
 * Every key of a tenant (all pages), from MeshQu or, offline, from the encrypted store. A tenant
 * not loaded yet is painted at once from the store (placeholder data, `servedFrom: 'local'`)
 * while the network list is on its way.
 *
 * `firstRows`: the caller shows the list in the default sort, unfiltered, and can paint the stored
 * list's first rows before the whole of it has arrived (keys.fromStoreHead; `firstRowsOnly` says so
 * until then). Placeholders belong to each caller, so everyone else still sees a whole list or
 * nothing. `now` is the caller's clock, so the counts agree with the statuses it paints.
 */
export function useKeys(tenant: string | null, { firstRows = false, now }: { firstRows?: boolean; now?: number } = {}) {
  const qc = useQueryClient()
  // Asked before keys.fromStore, which waits for it (below). Only for a cold switch: a list already
  // in the cache is painted from there.
  const cold = tenant !== null && qc.getQueryData(qk.keys(tenant)) === undefined && qc.getQueryData(qk.storedKeys(tenant)) === undefined
  const headQuery = useQuery({
    queryKey: qk.storedHead(tenant ?? '-'),
    enabled: firstRows && cold,
    queryFn: async () => {
      const asked = api().keys.fromStoreHead({ tenant: tenant!, limit: FIRST_ROWS, now })
      const answered = asked.then(
        () => undefined,
        () => undefined
      )
      headsOnTheirWay.set(tenant!, answered)
      void answered.then(() => headsOnTheirWay.get(tenant!) === answered && headsOnTheirWay.delete(tenant!))
      return unwrap(await asked)
    },
    staleTime: Infinity,
    // Kept only while this tenant is shown: a later cold switch reads the store again, never an
    // older head.
    gcTime: 0,
    retry: false
  })
  const head = headQuery.data
  const stored = useQuery({
    queryKey: qk.storedKeys(tenant ?? '-'),
    enabled: tenant !== null,
    queryFn: async () => {
      // The whole list from the fleet store is asked for once the head has answered (or failed),
      // whichever caller starts it (the frame's useKeys starts it too, beside the view's). Asked
      // together, main read and sent the ~4 MB list, and the page parsed it, while the few rows
      // waited behind.
      await headsOnTheirWay.get(tenant!)
      return parseStoredList(unwrap(await api().keys.fromStore({ tenant: tenant! })))
    },
    staleTime: Infinity,
    retry: false
  })
  const storedList = stored.data
  return useQuery<KeysData>({
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
      : firstRows && head
        ? {
            data: { keys: head.keys, total: head.total, pages: 0 },
            meta: { tenantId: tenant, servedFrom: 'local' as const, syncedAt: head.syncedAt },
            // A head holding the whole list is the list in the fleet store itself (same rows, same order).
            firstRowsOnly: head.keys.length < head.total ? { total: head.total, counts: head.counts } : undefined
          }
        : undefined,
    staleTime: 30_000,
    // Offline: keep trying in the background, backing off up to a minute.
    refetchInterval: (query) => {
      if (query.state.data?.meta.servedFrom !== 'store') return false
      // A 429: asked again by itself once Retry-After has passed (main's pacing holds until then).
      const until = query.state.data.data.rateLimitedUntil
      if (until) return Math.max(500, until - Date.now() + 250)
      return Math.min(60_000, 5_000 * 2 ** Math.min(4, query.state.dataUpdateCount))
    }
  })
}

/**
 * Writes (create, revoke, rotate, key-level writes) are blocked while the list came from the
 * store: MeshQu must confirm them, and nothing is queued. The Create key button and the `n`
 * shortcut both ask this.
 */
export const canWriteKeys = (data: KeysData | undefined): boolean => data !== undefined && data.meta.servedFrom !== 'store'

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

/** Revokes one key (its name is sent so main's messages can name it; the reason goes to the journal). */
export function useRevokeKey(tenantId: string, keyId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ name, reason }: { name?: string; reason?: string }) =>
      unwrap(await api().keys.revoke({ tenant: tenantId, id: keyId, name, reason })),
    onSuccess: (revoked) => {
      // null: MeshQu revoked it (204) but the key could not be read back; main's store marked it
      // revoked as of now, and so does the cached list.
      if (revoked) upsertKey(qc, tenantId, revoked)
      else markRevoked(qc, tenantId, [keyId])
      useToasts.getState().show(revoked ? `Key ${revoked.name} revoked.` : 'Key revoked.')
      void qc.invalidateQueries({ queryKey: qk.rotations(tenantId) })
      fleetStoreChanged(qc, [tenantId])
    },
    onError: (err) => {
      if (appErrorOf(err).code === 'NOT_FOUND') void qc.invalidateQueries({ queryKey: qk.keys(tenantId) })
    }
  })
}
