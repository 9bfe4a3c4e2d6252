import type { RetryPolicy } from '../meshqu/retry'
import type { TenantProfile } from '../../../shared/tenants'
import { CoreError } from '../errors'
import { holdSecret } from '../redact'
import { createMeshquClient, type MeshquClient } from '../meshqu/client'
import type { RateLimitTracker } from '../ratelimit/tracker'
import type { Scheduler } from '../ratelimit/scheduler'
import type { ProfileStore } from './profile-store'
import { assertBound, type AdminKeys } from './admin-keys'
import type { AdminKeyRecord } from './admin-key-record'

export interface SessionDeps {
  profiles: ProfileStore
  adminKeys: Pick<AdminKeys, 'recordFor'>
  tracker: RateLimitTracker
  scheduler?: Scheduler
  fetch?: typeof fetch
  now: () => number
  timeoutMs?: number
}

export interface TenantSession {
  profile: TenantProfile
  client: MeshquClient
}

/**
 * Resolves a profile id to a ready MeshQu client. The admin key is read from the keychain once and
 * then held in main's memory only, so each call does not pay a keychain round trip. Every call
 * checks the profile against the settings the key was confirmed for (held with it), so a key is
 * never sent where profiles.json alone says.
 */
export function createTenantSessions(deps: SessionDeps) {
  const adminKeys = new Map<string, { record: AdminKeyRecord; release: () => void }>()
  const clients = new Map<string, { signature: string; client: MeshquClient }>()
  // Keys being verified (a new tenant, a replaced key) before they are saved; few, so bounded.
  const candidates = new Map<string, () => void>()
  const MAX_CANDIDATES = 8

  /** Every admin key main holds is registered for exact redaction while it is held. */
  function holdCandidate(profileId: string, key: string) {
    candidates.get(profileId)?.()
    candidates.delete(profileId)
    candidates.set(profileId, holdSecret(key))
    for (const [id, release] of candidates) {
      if (candidates.size <= MAX_CANDIDATES) break
      release()
      candidates.delete(id)
    }
  }

  async function adminKeyFor(profile: TenantProfile): Promise<string> {
    const cached = adminKeys.get(profile.id)
    if (cached) {
      assertBound(profile, cached.record)
      return cached.record.adminKey
    }
    const record = await deps.adminKeys.recordFor(profile)
    if (!record) {
      throw new CoreError(
        'UNAUTHORIZED',
        `No admin key for tenant ${profile.label} is in the keychain. Replace the admin key in the tenant's settings.`
      )
    }
    adminKeys.get(profile.id)?.release() // a concurrent first read may have stored it already
    adminKeys.set(profile.id, { record, release: holdSecret(record.adminKey) })
    return record.adminKey
  }

  return {
    /** `retry`: a verification makes one bounded attempt (no retries), so its wait is the timeout. */
    clientFor(profile: TenantProfile, adminKey: string, overrides: { retry?: RetryPolicy } = {}): MeshquClient {
      if (adminKeys.get(profile.id)?.record.adminKey !== adminKey) holdCandidate(profile.id, adminKey)
      return createMeshquClient({
        baseUrl: profile.baseUrl,
        tenantId: profile.tenantId,
        tenantLabel: profile.label,
        adminKey,
        fetch: deps.fetch,
        now: deps.now,
        timeoutMs: deps.timeoutMs,
        retry: overrides.retry,
        onRateLimit: (s) => deps.tracker.record({ profileId: profile.id, baseUrl: profile.baseUrl }, s),
        pacing: deps.scheduler && {
          acquire: (kind, maxRateLimitedWaitMs, signal) => deps.scheduler!.acquire(profile.id, kind, maxRateLimitedWaitMs, signal),
          rateLimited: (ms) => deps.scheduler!.rateLimited(profile.id, ms)
        }
      })
    },

    async open(profileId: string): Promise<TenantSession> {
      const profile = await deps.profiles.get(profileId)
      if (!profile) throw new CoreError('NOT_FOUND', 'That tenant is no longer in KeyDesk. Pick another tenant from the sidebar.')
      const adminKey = await adminKeyFor(profile)
      const signature = `${profile.baseUrl}|${profile.tenantId}|${profile.label}`
      let entry = clients.get(profileId)
      if (!entry || entry.signature !== signature) {
        entry = { signature, client: this.clientFor(profile, adminKey) }
        clients.set(profileId, entry)
      }
      return { profile, client: entry.client }
    },

    /** Whether main holds anything of this tenant: its admin key, a candidate key, a client. */
    holds: (profileId: string) => adminKeys.has(profileId) || candidates.has(profileId) || clients.has(profileId),

    forget(profileId: string) {
      adminKeys.get(profileId)?.release()
      adminKeys.delete(profileId)
      candidates.get(profileId)?.()
      candidates.delete(profileId)
      clients.delete(profileId)
    }
  }
}

export type TenantSessions = ReturnType<typeof createTenantSessions>
