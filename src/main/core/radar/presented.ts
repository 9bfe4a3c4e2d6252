import { z } from 'zod'
import { PresentedKeySchema, type PresentedKey } from '../../../shared/contract'
import { keyStatus } from '../../../shared/key-view'
import type { ApiKey, AuditEvent } from '../../../shared/meshqu'
import { DAY_MS } from '../../../shared/radar'
import type { MeshquClient } from '../meshqu/client'
import type { CallKind } from '../ratelimit/scheduler'

/** auth.denied events of the last 30 days are read, at most 4 pages of 500 per tenant. */
export const PRESENTED_WINDOW_DAYS = 30
const PAGE = 500
const MAX_PAGES = 4

export const PresentedReadSchema = z.object({ since: z.number(), truncated: z.boolean(), keys: z.array(PresentedKeySchema) })
export type PresentedRead = z.infer<typeof PresentedReadSchema>

/** [ASSUMED] auth.denied names the presented key in actor_key_id and why in details.reason. */
function reasonOf(e: AuditEvent): 'revoked' | 'expired' | null {
  const reason = e.details?.reason
  if (reason === 'key_revoked') return 'revoked'
  if (reason === 'key_expired') return 'expired'
  return null
}

/**
 * Revoked or expired keys that services still present: MeshQu's `auth.denied` events grouped by
 * the key they name (API.md, audit events). The stored key decides its status; a key the store
 * does not hold (or holds as still active, synced before it was revoked) is judged by the
 * event's reason. Denials for other reasons (a missing scope, an unknown key) are not this.
 */
export async function readPresented(
  client: MeshquClient,
  lookup: (ids: Set<string>) => Promise<Map<string, ApiKey>>,
  now: number,
  kind: CallKind
): Promise<PresentedRead> {
  const since = now - PRESENTED_WINDOW_DAYS * DAY_MS
  const events: AuditEvent[] = []
  let truncated = false
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.listAudit(
      { action: 'auth.denied', limit: PAGE, offset: page * PAGE, from_date: new Date(since).toISOString() },
      { kind }
    )
    events.push(...res.data.data)
    truncated = res.data.pagination.has_more
    if (!truncated || res.data.data.length === 0) break
  }
  const named = events.filter((e) => e.action === 'auth.denied' && e.actor_key_id)
  const stored = await lookup(new Set(named.map((e) => e.actor_key_id!)))
  const byKey = new Map<string, PresentedKey>()
  for (const e of named) {
    const id = e.actor_key_id!
    const key = stored.get(id)
    const known = key ? keyStatus(key, now) : null
    const status = known === 'revoked' || known === 'expired' ? known : reasonOf(e)
    if (!status) continue
    const at = Date.parse(e.created_at)
    const seen = byKey.get(id)
    if (seen) {
      seen.count++
      seen.firstAt = Math.min(seen.firstAt, at)
      seen.lastAt = Math.max(seen.lastAt, at)
    } else {
      byKey.set(id, { keyId: id, name: key?.name ?? e.actor_key_name, preview: key?.key_preview ?? null, status, count: 1, firstAt: at, lastAt: at })
    }
  }
  return { since, truncated, keys: [...byKey.values()].sort((a, b) => b.lastAt - a.lastAt) }
}
