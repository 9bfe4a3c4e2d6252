import type { AppError } from '../../../shared/errors'
import type { JournalAction } from '../../../shared/journal'
import type { ApiKey } from '../../../shared/meshqu'
import type { RateLimitSnapshot } from '../../../shared/ratelimit'
import type { CallKind } from '../ratelimit/scheduler'
import { recordFailedWrite } from './failed-write'
import type { WriteDeps } from './write-deps'

export interface RevokeRequest {
  tenant: string
  id: string
  /** The key's name and preview where the caller knows them (messages, the journal); else the store's copy. */
  name?: string | null
  preview?: string | null
  /** interactive: the operator is waiting; background: bulk and scheduled work, which keeps the tenant's reserve. */
  priority: CallKind
  /** The caller's journal entry: key.revoke, bulk.revoke (with its jobId) or schedule.revoke, with its reason and detail. */
  entry: { action: JournalAction; reason?: string | null; detail?: string | null; jobId?: string | null }
  /** A failure the caller will send again (bulk: rate-limited; scheduled: offline) is journaled only when final. */
  retrying?: (e: AppError) => boolean
  /** Ends the call (a pacing wait, a backoff, a request in flight) with CANCELLED: its owner is stopping. */
  signal?: AbortSignal
}

export interface Revoked {
  /** MeshQu's answer; null when it revoked (204) but the key could not be read back. */
  key: ApiKey | null
  rateLimit?: RateLimitSnapshot
}

/**
 * The one way KeyDesk revokes a key: single, the old key of a rotation, bulk (one tenant or
 * across tenants) and scheduled revokes all come here. It sends the DELETE through the tenant's
 * session at the caller's priority (an already-revoked key's 404 is success: meshqu/client.ts),
 * journals the outcome, records an unknown one for settlement (failed-write.ts), clears a pending
 * rotation of the key, and writes the revoked key into the fleet store, so the tenant's list in
 * the store, search all and the radar say "revoked" at once instead of at the next full list.
 */
export function createKeyRevoker(d: WriteDeps) {
  /** The store's copy becomes MeshQu's answer, or is marked revoked as of now when there was none to read. */
  async function storeRevoked(tenant: string, id: string, answer: ApiKey | null) {
    // A tenant removed while its revoke was in flight keeps no rows.
    if (!(await d.profiles.get(tenant))) return
    const base = answer ?? (await d.store.keyById(tenant, id))
    if (!base) return
    await d.store.putKey(tenant, { ...base, revoked_at: base.revoked_at ?? new Date(d.now()).toISOString(), is_active: false })
  }

  return async function revokeKey(r: RevokeRequest): Promise<Revoked> {
    const { tenant, id } = r
    const entry = { ...r.entry, key: { id, name: r.name ?? null, preview: r.preview ?? null } }
    let res
    try {
      // Inside the try: a tenant removed or a keychain locked mid-way is this key's failure too.
      const { client } = await d.sessions.open(tenant)
      res = await client.revokeKey(id, { kind: r.priority, signal: r.signal })
    } catch (err) {
      const name = r.name ?? (await d.store.keyById(tenant, id).catch(() => null))?.name ?? id
      throw await recordFailedWrite(d, tenant, entry, { kind: 'revoke', keyId: id, name, at: d.now() }, err, r.retrying)
    }
    const key = res.data.key
    // The revocation happened: nothing below may report otherwise, so each step only logs its failure.
    await storeRevoked(tenant, id, key).catch((err) => d.log.warn('fleet store not updated after a revoke', err))
    await d.store.rotations.resolve(tenant, [id]).catch((err) => d.log.warn('pending rotation not cleared', err))
    await d.journal.record({
      ...entry,
      tenant,
      outcome: 'ok',
      key: { id, name: key?.name ?? r.name ?? null, preview: key?.key_preview ?? r.preview ?? null }
    })
    // After the store, the rotation and the journal: whatever the renderer reads again says so.
    d.emit?.({ type: 'store.changed', tenant, revoked: [id] })
    return { key, rateLimit: res.rateLimit }
  }
}

export type KeyRevoker = ReturnType<typeof createKeyRevoker>
