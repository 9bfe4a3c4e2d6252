import type { StoreStatus } from '../../../shared/contract'
import type { Handlers } from '../router'
import type { FleetStore } from '../store/fleet-store'
import type { StoreTrust } from '../store/trust'
import type { ProfileStore } from '../tenants/profile-store'

export interface FleetDeps {
  store: FleetStore
  trust: Pick<StoreTrust, 'incidents' | 'held' | 'acknowledge'>
  profiles: ProfileStore
  storePath: string
  now: () => number
  /** "Start a new store" (store/start-new.ts). */
  startNew: () => Promise<void>
  /** Incidents were acknowledged: held schedules may run. */
  acknowledged?: () => void
}

/**
 * Questions across every tenant, answered by the store: search all, counts per tenant, a
 * tenant's list in the fleet store for a cold switch (and its first screenful, painted first), and the
 * store's own state (closed while the keychain is locked, with Retry; a refused file, with "Start a
 * new store"; what the keychain's anchor found, until acknowledged). Each answer is what the
 * renderer shows, never the fleet's data wholesale.
 */
export function fleetHandlers(
  d: FleetDeps
): Pick<
  Handlers,
  | 'keys.searchAll'
  | 'keys.fromStore'
  | 'keys.fromStoreHead'
  | 'fleet.counts'
  | 'store.status'
  | 'store.retry'
  | 'store.acknowledge'
  | 'store.startNew'
> {
  const status = (): StoreStatus => ({
    state: d.store.state(),
    reason: d.store.unavailableReason() ?? null,
    path: d.storePath,
    warnings: d.store.warnings(),
    problem: d.store.problem(),
    incidents: d.trust.incidents(),
    schedulesHeld: d.trust.held()
  })

  return {
    'keys.searchAll': async ({ text, scope, limit }) => {
      const profiles = new Map((await d.profiles.list()).map((p) => [p.id, p]))
      const found = await d.store.search({ text, scope, limit })
      // Rows of a tenant removed meanwhile are not shown (removal deletes them; this is belt and braces).
      const hits = found.hits.flatMap((h) => {
        const p = profiles.get(h.tenant)
        return p ? [{ tenant: { id: p.id, label: p.label, environment: p.environment }, key: h.key, syncedAt: h.syncedAt, exact: h.exact }] : []
      })
      const synced = (await d.store.counts(d.now())).filter((c) => profiles.has(c.tenant)).length
      return { data: { hits, searchedTenants: synced, truncated: found.truncated }, meta: { servedFrom: 'store' } }
    },

    // The stored rows as one JSON text: parsed once, in the renderer (contract.ts, StoreKeysJsonSchema).
    'keys.fromStore': async ({ tenant }) => {
      const cached = await d.store.keysJsonOf(tenant)
      // 'local', not 'store': a deliberate read of the store says nothing about reaching MeshQu.
      return { data: cached, meta: { servedFrom: 'local', syncedAt: cached?.syncedAt ?? null } }
    },

    // The cold switch's first screenful: keys.fromStore's first rows, painted while the rest crosses.
    'keys.fromStoreHead': async ({ tenant, limit, now }) => {
      const head = await d.store.headOf(tenant, limit, now ?? d.now())
      return { data: head, meta: { servedFrom: 'local', syncedAt: head?.syncedAt ?? null } }
    },

    'fleet.counts': async () => {
      const known = new Set((await d.profiles.list()).map((p) => p.id))
      const tenants = (await d.store.counts(d.now())).filter((c) => known.has(c.tenant))
      return { data: { tenants }, meta: { servedFrom: 'store' } }
    },

    // Opens a store not yet opened: what opening finds (a refused file, an older copy) is in the first answer.
    'store.status': async () => {
      if (d.store.state() === 'closed') await d.store.open()
      return { data: status(), meta: { servedFrom: 'local' } }
    },
    'store.retry': async () => {
      await d.store.open()
      return { data: status(), meta: { servedFrom: 'local' } }
    },
    'store.acknowledge': async ({ ids }) => {
      await d.trust.acknowledge(ids)
      d.acknowledged?.()
      return { data: status(), meta: { servedFrom: 'local' } }
    },
    'store.startNew': async () => {
      await d.startNew()
      return { data: status(), meta: { servedFrom: 'local' } }
    }
  }
}
