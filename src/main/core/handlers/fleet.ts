import type { StoreStatus } from '../../../shared/contract'
import type { Handlers } from '../router'
import type { FleetStore } from '../store/fleet-store'
import type { ProfileStore } from '../tenants/profile-store'

export interface FleetDeps {
  store: FleetStore
  profiles: ProfileStore
  storePath: string
  now: () => number
}

/**
 * Questions across every tenant, answered by the store: search all, counts per tenant, a
 * tenant's list in the fleet store for a cold switch (and its first screenful, painted first), and the
 * store's own state (closed while the keychain is locked, with Retry). Each answer is what the
 * renderer shows, never the fleet's data wholesale.
 */
export function fleetHandlers(
  d: FleetDeps
): Pick<Handlers, 'keys.searchAll' | 'keys.fromStore' | 'keys.fromStoreHead' | 'fleet.counts' | 'store.status' | 'store.retry'> {
  const status = (): StoreStatus => ({
    state: d.store.state(),
    reason: d.store.unavailableReason() ?? null,
    path: d.storePath,
    warnings: d.store.warnings()
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

    'store.status': async () => ({ data: status(), meta: { servedFrom: 'local' } }),
    'store.retry': async () => {
      await d.store.open()
      return { data: status(), meta: { servedFrom: 'local' } }
    }
  }
}
