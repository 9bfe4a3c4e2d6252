import type { ApiKey, KeyStatusFilter } from '../../../shared/meshqu'
import type { RateLimitSnapshot } from '../../../shared/ratelimit'
import type { CallKind } from '../ratelimit/scheduler'
import type { RateLimitTracker } from '../ratelimit/tracker'
import type { TenantSessions } from '../tenants/sessions'
import type { ProfileStore } from '../tenants/profile-store'
import type { FleetStore } from '../store/fleet-store'
import type { Journal } from '../journal/journal'
import type { Logger } from '../log'
import { listAllKeys, type ListAllResult } from '../meshqu/list-all'
import { describeChanges, diffKeyLists } from '../store/resync'

/** Rate-limit windows are kept for the headroom chart's hour. */
const HISTORY_KEPT_MS = 60 * 60 * 1000

export interface TenantSyncDeps {
  sessions: Pick<TenantSessions, 'open'>
  tracker: Pick<RateLimitTracker, 'forTenant' | 'history'>
  store: FleetStore
  profiles: Pick<ProfileStore, 'get'>
  journal: Pick<Journal, 'record'>
  log: Logger
  now: () => number
  /** After a complete list reached the store: tells of keys created or revoked outside KeyDesk. */
  afterSync?: (tenant: string, syncedAt: number) => Promise<unknown>
  /** The tenant's unknown writes are settled (its status leaves "settling"). */
  onSettled?: (tenant: string) => void
}

export interface SettledWrite {
  sentence: string
  kind: string
  keyId: string | null
  applied: boolean
}

export type TenantListed = Omit<ListAllResult, 'rateLimit'> & {
  changesSinceLastSync?: string
  settledWrites?: string[]
  settled?: SettledWrite[]
}

export interface SyncOptions {
  status?: KeyStatusFilter
  /** 'background' for the fleet sync: every page keeps the reserve and waits out a 429. */
  kind?: CallKind
  signal?: AbortSignal
  /** The tenant was offline: say what changed since the list in the store. */
  reconnecting?: boolean
}

/**
 * The one way a tenant's list goes from MeshQu into the fleet store, for a visit (keys.listAll) and
 * for the fleet sync alike: list every page, settle unknown writes against a complete list, store
 * it (the store stays the one source of truth), keep the headroom history, look for changes made
 * outside KeyDesk. Only a complete, unfiltered list is stored or settles anything.
 */
export function createTenantSync(d: TenantSyncDeps) {
  async function settle(tenant: string, keys: readonly ApiKey[]): Promise<SettledWrite[]> {
    // Asked first, so a tenant with nothing to settle (nearly always) does not copy its whole list
    // to the store's worker a second time: main's share of a sync is its copies.
    const pending = await d.store.unknownWrites.list(tenant).catch(() => null)
    if (pending !== null && pending.length === 0) return []
    const settled = await d.store.unknownWrites.settleDetailed(tenant, keys).catch(() => [])
    for (const w of settled) {
      await d.journal.record({
        tenant,
        action: 'settlement',
        outcome: w.applied ? 'applied' : 'not-applied',
        key: { id: w.keyId ?? null, name: w.name },
        detail: w.sentence,
        refSeq: w.journalSeq ?? null
      })
    }
    return settled.map((w) => ({ sentence: w.sentence, kind: w.kind, keyId: w.keyId ?? null, applied: w.applied }))
  }

  return async function syncTenant(
    tenant: string,
    o: SyncOptions = {}
  ): Promise<{ data: TenantListed; rateLimit?: RateLimitSnapshot; syncedAt: number; complete: boolean }> {
    const status = o.status ?? 'all'
    const { client } = await d.sessions.open(tenant)
    const { rateLimit: listed, ...fresh } = await listAllKeys(client, { status, kind: o.kind, signal: o.signal })
    const rateLimit = d.tracker.forTenant(tenant) ?? listed
    const syncedAt = d.now()
    const data: TenantListed = fresh
    // Only a complete list can say what vanished: an incomplete one is shown, never stored or
    // compared, so the store keeps the last complete list whole (ARCHITECTURE.md).
    const complete = status === 'all' && !fresh.incomplete
    if (o.reconnecting && complete) {
      // Back online: say what changed while we were looking at the snapshot.
      const before = await d.store.keysOf(tenant).catch(() => null)
      if (before) data.changesSinceLastSync = describeChanges(diffKeyLists(before.keys, fresh.keys, syncedAt))
    }
    // An incomplete list cannot prove a write did not happen either: settle on the next full one.
    const settled = complete ? await settle(tenant, fresh.keys) : []
    if (settled.length) {
      data.settledWrites = settled.map((w) => w.sentence)
      data.settled = settled
    }
    if (complete) d.onSettled?.(tenant)
    // A status-filtered list would mark the rest vanished just the same.
    if (complete && (await d.profiles.get(tenant))) {
      await d.store
        .syncKeys(tenant, data.keys, syncedAt)
        .then(() => d.store.saveHistory(tenant, d.tracker.history(tenant, syncedAt), syncedAt - HISTORY_KEPT_MS))
        .then(() => d.afterSync?.(tenant, syncedAt))
        .catch((err) => d.log.warn('fleet store not updated', err))
    }
    return { data, rateLimit, syncedAt, complete }
  }
}

export type TenantSync = ReturnType<typeof createTenantSync>
