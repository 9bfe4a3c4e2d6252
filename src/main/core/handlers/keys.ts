import type { Handlers } from '../router'
import type { RevealSlots } from '../secrets/reveal-slots'
import type { TenantSessions } from '../tenants/sessions'
import type { RateLimitTracker } from '../ratelimit/tracker'
import type { ApiKey, KeyStatusFilter } from '../../../shared/meshqu'
import { keyStatus } from '../../../shared/key-view'
import { CoreError } from '../errors'
import type { Logger } from '../log'
import type { ProfileStore } from '../tenants/profile-store'
import { isKnownScope } from '../../../shared/scopes'
import { describeChanges, diffKeyLists } from '../store/resync'
import type { FleetStore, UnknownWrite } from '../store/fleet-store'
import { listAllKeys } from '../meshqu/list-all'
import { describeUncertainWrite } from './uncertain-write'

export interface KeyDeps {
  sessions: TenantSessions
  slots: RevealSlots
  tracker: RateLimitTracker
  /** The encrypted fleet store: last lists, audit pages, rotations, unknown-outcome writes. */
  store: FleetStore
  profiles: ProfileStore
  /** True when the tenant's last call could not reach MeshQu (then a fresh list reports changes). */
  wasOffline: (tenant: string) => boolean
  log: Logger
  now: () => number
}

/** MeshQu's list filter [ASSUMED]: expiring keys are still active, revoked wins over expired. */
function matchesStatusFilter(k: ApiKey, status: KeyStatusFilter, now: number): boolean {
  const s = keyStatus(k, now)
  if (status === 'active') return s === 'active' || s === 'expiring'
  return status === 'all' || s === status
}

/** Failures where the last view is better than nothing: MeshQu unreachable, slow or broken. */
function servableFromCache(err: unknown): boolean {
  return err instanceof CoreError && (err.code === 'OFFLINE' || err.code === 'TIMEOUT' || err.code === 'UPSTREAM')
}

/** Rate-limit windows are kept for the headroom chart's hour. */
const HISTORY_KEPT_MS = 60 * 60 * 1000

type KeyHandlers = Pick<
  Handlers,
  | 'keys.list'
  | 'keys.listAll'
  | 'keys.get'
  | 'keys.create'
  | 'keys.revoke'
  | 'keys.rotate'
  | 'keys.finishRotation'
  | 'keys.pendingRotations'
  | 'audit.list'
>

export function keyHandlers(d: KeyDeps): KeyHandlers {
  async function listAllFromNetwork(tenant: string, status: KeyStatusFilter) {
    const r = await listAllKeys((await d.sessions.open(tenant)).client, { status })
    return { ...r, rateLimit: d.tracker.forTenant(tenant) ?? r.rateLimit }
  }

  /**
   * A write whose outcome is unknown (connection dropped, no answer in time, a gateway error, an
   * unreadable success) may or may not have happened. Say exactly that, record it, and check it
   * against the next full list instead of guessing or retrying blindly. Branches on the client's
   * structured `outcome` only: 'not-sent' and 'rejected' mean nothing happened.
   */
  async function uncertainOnDrop<T>(tenant: string, w: UnknownWrite, send: () => Promise<T>): Promise<T> {
    try {
      return await send()
    } catch (err) {
      if (!(err instanceof CoreError) || err.extra.outcome !== 'unknown') throw err
      await d.store.unknownWrites.add(tenant, w).catch((e) => d.log.warn('unknown-outcome write not recorded in the store', e))
      throw new CoreError(err.code, describeUncertainWrite(w, err), err.extra)
    }
  }

  return {
    'keys.listAll': async ({ tenant, status }) => {
      const reconnecting = d.wasOffline(tenant)
      try {
        const { rateLimit, ...fresh } = await listAllFromNetwork(tenant, status)
        const syncedAt = d.now()
        const data: typeof fresh & { changesSinceSnapshot?: string; settledWrites?: string[] } = fresh
        if (reconnecting && status === 'all') {
          // Back online: say what changed while we were looking at the snapshot.
          const before = await d.store.cachedKeys(tenant).catch(() => null)
          if (before) data.changesSinceSnapshot = describeChanges(diffKeyLists(before.keys, fresh.keys, syncedAt))
        }
        // An incomplete list cannot prove a write did not happen: settle on the next full one.
        const settled = status === 'all' && !fresh.incomplete ? await d.store.unknownWrites.settle(tenant, fresh.keys).catch(() => []) : []
        if (settled.length) data.settledWrites = settled
        // Only the complete view is stored; a status-filtered list would mark the rest vanished.
        if (status === 'all' && (await d.profiles.get(tenant))) {
          await d.store
            .syncKeys(tenant, data.keys, syncedAt)
            .then(() => d.store.saveHistory(tenant, d.tracker.history(tenant, syncedAt), syncedAt - HISTORY_KEPT_MS))
            .catch((err) => d.log.warn('offline store not updated', err))
        }
        return { data, meta: { servedFrom: 'network', rateLimit, syncedAt } }
      } catch (err) {
        if (!servableFromCache(err)) throw err
        const snap = await d.store.cachedKeys(tenant).catch(() => null)
        if (!snap) throw err
        const keys = status === 'all' ? snap.keys : snap.keys.filter((k) => matchesStatusFilter(k, status, d.now()))
        return {
          data: { keys, total: keys.length, pages: 0, offlineReason: (err as CoreError).toAppError().message },
          meta: { servedFrom: 'cache', syncedAt: snap.syncedAt }
        }
      }
    },

    'keys.list': async ({ tenant, status, limit, offset }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.listKeys({ status, limit, offset })
      return { data: { keys: res.data.data, pagination: res.data.pagination }, meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
    },

    'keys.get': async ({ tenant, id }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.getKey(id)
      return { data: res.data.key, meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
    },

    'keys.create': async ({ tenant, key }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await uncertainOnDrop(tenant, { kind: 'create', name: key.name, at: d.now() }, () => client.createKey(key))
      // The plaintext stops here: the renderer only ever gets the slot id.
      const slot = d.slots.put(res.data.plaintext_key, tenant)
      return {
        data: { key: res.data.key, revealId: slot.revealId, revealExpiresAt: slot.expiresAt },
        meta: { servedFrom: 'network', rateLimit: res.rateLimit }
      }
    },

    'keys.revoke': async ({ tenant, id, name }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await uncertainOnDrop(tenant, { kind: 'revoke', keyId: id, name: name ?? id, at: d.now() }, () => client.revokeKey(id))
      // The revocation happened; a failure to update the reminder list must not report otherwise.
      await d.store.rotations.resolve(tenant, [id]).catch((err) => d.log.warn('pending rotation not cleared', err))
      return { data: res.data.key, meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
    },

    'keys.rotate': async ({ tenant, id, name, expires_at }) => {
      const { client } = await d.sessions.open(tenant)
      const old = (await client.getKey(id)).data.key
      if (old.revoked_at !== null || !old.is_active) {
        throw new CoreError('VALIDATION', `"${old.name}" is already revoked; create a new key instead of rotating it.`)
      }
      const scopes = old.scopes.filter(isKnownScope)
      if (scopes.length !== old.scopes.length) {
        throw new CoreError('VALIDATION', `"${old.name}" has scopes this KeyDesk does not know (${old.scopes.filter((s) => !isKnownScope(s)).join(', ')}); update KeyDesk to rotate it.`)
      }
      const res = await uncertainOnDrop(tenant, { kind: 'create', name, at: d.now() }, () => client.createKey({ name, scopes, expires_at: expires_at ?? null }))
      const slot = d.slots.put(res.data.plaintext_key, tenant)
      return {
        data: { old, created: { key: res.data.key, revealId: slot.revealId, revealExpiresAt: slot.expiresAt } },
        meta: { servedFrom: 'network', rateLimit: res.rateLimit }
      }
    },

    'keys.finishRotation': async ({ tenant, oldKeyId, newKeyId, revokeOld }) => {
      if (revokeOld) {
        const { client } = await d.sessions.open(tenant)
        const res = await uncertainOnDrop(tenant, { kind: 'revoke', keyId: oldKeyId, name: oldKeyId, at: d.now() }, () => client.revokeKey(oldKeyId))
        await d.store.rotations.resolve(tenant, [oldKeyId]).catch((err) => d.log.warn('pending rotation not cleared', err))
        return { data: { old: res.data.key, pending: await d.store.rotations.list(tenant) }, meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
      }
      await d.store.rotations.add({ tenant, oldKeyId, newKeyId, rotatedAt: d.now() })
      return { data: { old: null, pending: await d.store.rotations.list(tenant) } }
    },

    'keys.pendingRotations': async ({ tenant }) => ({ data: { pending: await d.store.rotations.list(tenant) } }),

    'audit.list': async ({ tenant, limit, offset, action }) => {
      // Only the first unfiltered page is what the detail panel shows, so only it is kept offline.
      const cacheable = offset === 0 && action === undefined
      try {
        const { client } = await d.sessions.open(tenant)
        const res = await client.listAudit({ limit, offset, action })
        const data = { events: res.data.data, pagination: res.data.pagination }
        const syncedAt = d.now()
        if (cacheable) await d.store.saveAudit(tenant, { syncedAt, ...data }).catch((err) => d.log.warn('audit page not stored', err))
        return { data, meta: { servedFrom: 'network', rateLimit: res.rateLimit, syncedAt } }
      } catch (err) {
        if (!cacheable || !servableFromCache(err)) throw err
        const snap = await d.store.loadAudit(tenant).catch(() => null)
        if (!snap) throw err
        return { data: { events: snap.events.slice(0, limit), pagination: snap.pagination }, meta: { servedFrom: 'cache', syncedAt: snap.syncedAt } }
      }
    }
  }
}
