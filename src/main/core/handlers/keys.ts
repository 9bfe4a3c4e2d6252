import type { Handlers } from '../router'
import type { TenantSessions } from '../tenants/sessions'
import type { RateLimitTracker } from '../ratelimit/tracker'
import type { ApiKey, KeyStatusFilter } from '../../../shared/meshqu'
import { keyStatus } from '../../../shared/key-view'
import { CoreError } from '../errors'
import type { Logger } from '../log'
import type { ProfileStore } from '../tenants/profile-store'
import { isKnownScope } from '../../../shared/scopes'
import type { FleetStore } from '../store/fleet-store'
import type { TenantSync } from '../sync/tenant-sync'
import { failureOf, type Journal } from '../journal/journal'
import { requireReason } from '../journal/reasons'
import type { ScheduledRevokes } from '../jobs/scheduled-revokes'
import type { KeyRevoker } from '../writes/revoke-key'
import type { KeyCreator } from '../writes/create-key'
import type { WriteGuard } from '../tenants/write-guard'

export interface KeyDeps {
  sessions: TenantSessions
  tracker: RateLimitTracker
  /** The encrypted fleet store: last lists, audit pages, rotations, unknown-outcome writes. */
  store: FleetStore
  profiles: ProfileStore
  /** True when the tenant's last call could not reach MeshQu (then a fresh list reports changes). */
  wasOffline: (tenant: string) => boolean
  log: Logger
  now: () => number
  /** Every write is recorded here (journal/journal.ts). */
  journal: Journal
  /** The setting "a reason is required for production tenants". */
  reasonRequired: () => Promise<boolean>
  /** For finishRotation's "revoke the old key later". */
  schedules: ScheduledRevokes
  /** The one revoke (writes/revoke-key.ts) and the one create (writes/create-key.ts). */
  revoke: KeyRevoker
  create: KeyCreator
  /** The one list → fleet store path (sync/tenant-sync.ts), shared with the fleet sync. */
  syncTenant: TenantSync
  /** Until when the tenant's pacing holds its calls after a 429 (ratelimit/scheduler.ts), or null. */
  rateLimitedUntil: (tenant: string) => number | null
  /** Read-only tenants refuse writes unless unlocked (tenants/write-guard.ts). */
  guard: WriteGuard
}

/** MeshQu's list filter [ASSUMED]: expiring keys are still active, revoked wins over expired. */
function matchesStatusFilter(k: ApiKey, status: KeyStatusFilter, now: number): boolean {
  const s = keyStatus(k, now)
  if (status === 'active') return s === 'active' || s === 'expiring'
  return status === 'all' || s === status
}

/** Failures where the last view is better than nothing: MeshQu unreachable, slow or broken. */
function servableFromStore(err: unknown): boolean {
  return err instanceof CoreError && (err.code === 'OFFLINE' || err.code === 'TIMEOUT' || err.code === 'UPSTREAM')
}

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
  const syncTenant = d.syncTenant

  const reasonCheck = (tenant: string, reason: string | undefined) =>
    requireReason({ required: d.reasonRequired, profile: (id) => d.profiles.get(id) }, [tenant], reason)

  return {
    'keys.listAll': async ({ tenant, status }) => {
      try {
        const { data, rateLimit, syncedAt } = await syncTenant(tenant, { status, reconnecting: d.wasOffline(tenant) })
        return { data, meta: { servedFrom: 'network', rateLimit, syncedAt } }
      } catch (err) {
        const rateLimited = err instanceof CoreError && err.code === 'RATE_LIMITED'
        if (!servableFromStore(err) && !rateLimited) throw err
        const snap = await d.store.keysOf(tenant).catch(() => null)
        if (!snap) throw err
        const keys = status === 'all' ? snap.keys : snap.keys.filter((k) => matchesStatusFilter(k, status, d.now()))
        if (rateLimited) {
          // A 429 says nothing about reachability: the stored list stays on screen with when the
          // list is asked again, and the tenant is rate-limited, not offline.
          const until = d.rateLimitedUntil(tenant) ?? d.now() + ((err as CoreError).extra.retryAfterMs ?? 1000)
          return {
            data: { keys, total: keys.length, pages: 0, rateLimitedUntil: until },
            meta: { servedFrom: 'store', syncedAt: snap.syncedAt },
            observed: (err as CoreError).toAppError()
          }
        }
        return {
          data: { keys, total: keys.length, pages: 0, offlineReason: (err as CoreError).toAppError().message },
          meta: { servedFrom: 'store', syncedAt: snap.syncedAt }
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

    'keys.create': async ({ tenant, key, waiver }) => {
      await d.guard.assertWritable([tenant])
      const { rateLimit, ...created } = await d.create({ tenant, key, waiver, detail: `Scopes: ${key.scopes.join(' ')}.` })
      return { data: created, meta: { servedFrom: 'network', rateLimit } }
    },

    'keys.revoke': async ({ tenant, id, name, reason }) => {
      await d.guard.assertWritable([tenant])
      await reasonCheck(tenant, reason)
      const res = await d.revoke({ tenant, id, name, priority: 'interactive', entry: { action: 'key.revoke', reason } })
      return { data: res.key, meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
    },

    'keys.rotate': async ({ tenant, id, name, expires_at, reason, waiver }) => {
      await d.guard.assertWritable([tenant])
      await reasonCheck(tenant, reason)
      const { client } = await d.sessions.open(tenant)
      const old = (await client.getKey(id)).data.key
      if (old.revoked_at !== null || !old.is_active) {
        throw new CoreError('VALIDATION', `"${old.name}" is already revoked; create a new key instead of rotating it.`)
      }
      const scopes = old.scopes.filter(isKnownScope)
      if (scopes.length !== old.scopes.length) {
        throw new CoreError(
          'VALIDATION',
          `"${old.name}" has scopes this KeyDesk does not know (${old.scopes.filter((s) => !isKnownScope(s)).join(', ')}); update KeyDesk to rotate it.`
        )
      }
      const oldKey = { id: old.id, name: old.name, preview: old.key_preview }
      // Rotating KeyDesk's own admin key keeps its scopes, which the policy's scope rules spare.
      const ownAdmin = old.key_preview === (await d.profiles.get(tenant))?.adminKeyPreview
      // Two entries: the replacement's creation (on the new key) and the rotation (on the old one).
      const created = await d
        .create({
          tenant,
          key: { name, scopes, expires_at: expires_at ?? null },
          reason,
          waiver,
          ownAdmin,
          detail: `Replacement for "${old.name}" (${old.id}).`
        })
        .catch(async (err: unknown) => {
          await d.journal.record({ tenant, action: 'key.rotate', key: oldKey, reason, ...failureOf(err) })
          throw err
        })
      const { rateLimit, ...made } = created
      await d.journal.record({
        tenant,
        action: 'key.rotate',
        outcome: 'ok',
        key: oldKey,
        reason,
        detail: `Replaced by "${made.key.name}" (${made.key.id}, ${made.key.key_preview}); the old key stays active until revoked.`
      })
      return { data: { old, created: made }, meta: { servedFrom: 'network', rateLimit } }
    },

    'keys.finishRotation': async ({ tenant, oldKeyId, newKeyId, revokeOld, schedule, reason }) => {
      if (revokeOld || schedule) await d.guard.assertWritable([tenant])
      if (revokeOld) {
        await reasonCheck(tenant, reason)
        const res = await d.revoke({
          tenant,
          id: oldKeyId,
          priority: 'interactive',
          entry: { action: 'key.revoke', reason, detail: `Old key of a rotation (replaced by ${newKeyId}).` }
        })
        return {
          data: { old: res.key, pending: await d.store.rotations.list(tenant) },
          meta: { servedFrom: 'network', rateLimit: res.rateLimit }
        }
      }
      // Kept for later, or scheduled: the reminder stays until the old key is revoked.
      if (schedule) await reasonCheck(tenant, reason)
      await d.store.rotations.add({ tenant, oldKeyId, newKeyId, rotatedAt: d.now() })
      const scheduled = schedule ? await d.schedules.schedule({ tenant, keyId: oldKeyId, ...schedule, reason }) : null
      return { data: { old: null, pending: await d.store.rotations.list(tenant), scheduled } }
    },

    'keys.pendingRotations': async ({ tenant }) => ({ data: { pending: await d.store.rotations.list(tenant) } }),

    'audit.list': async ({ tenant, limit, offset, action }) => {
      // Only the first unfiltered page is what the detail panel shows, so only it is kept offline.
      const storable = offset === 0 && action === undefined
      try {
        const { client } = await d.sessions.open(tenant)
        const res = await client.listAudit({ limit, offset, action })
        const data = { events: res.data.data, pagination: res.data.pagination }
        const syncedAt = d.now()
        if (storable) await d.store.saveAudit(tenant, { syncedAt, ...data }).catch((err) => d.log.warn('audit page not stored', err))
        return { data, meta: { servedFrom: 'network', rateLimit: res.rateLimit, syncedAt } }
      } catch (err) {
        if (!storable || !servableFromStore(err)) throw err
        const snap = await d.store.loadAudit(tenant).catch(() => null)
        if (!snap) throw err
        return { data: { events: snap.events.slice(0, limit), pagination: snap.pagination }, meta: { servedFrom: 'store', syncedAt: snap.syncedAt } }
      }
    }
  }
}
