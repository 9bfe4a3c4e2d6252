import type { ApiKey, AuditEvent } from '../shared/meshqu'
import type { Scope } from '../shared/scopes'

/** A key as the sandbox stores it: a sha256 hash, never the plaintext. Times are epoch ms. */
export interface KeyRecord {
  id: string
  tenant_id: string
  name: string
  hash: string
  preview: string
  scopes: Scope[]
  expires_at: number | null
  last_used_at: number | null
  created_at: number
  created_by: string | null
  revoked_at: number | null
  revoked_by: string | null
}

export interface AuditRecord {
  id: string
  /** insertion order; breaks ties between events of the same millisecond */
  seq: number
  tenant_id: string
  action: string
  actor_key_id: string | null
  actor_key_name: string | null
  target_id: string | null
  created_at: number
  details: Record<string, unknown> | null
}

export type KeyState = 'active' | 'revoked' | 'expired'

/** Revocation wins over expiry; expiry takes effect the millisecond it passes. */
export function keyState(k: Pick<KeyRecord, 'revoked_at' | 'expires_at'>, nowMs: number): KeyState {
  if (k.revoked_at !== null) return 'revoked'
  if (k.expires_at !== null && k.expires_at <= nowMs) return 'expired'
  return 'active'
}

const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

/** The [DOC] key object. */
export function toApiKey(k: KeyRecord, nowMs: number): ApiKey {
  return {
    id: k.id,
    tenant_id: k.tenant_id,
    name: k.name,
    key_preview: k.preview,
    scopes: [...k.scopes],
    expires_at: isoOrNull(k.expires_at),
    last_used_at: isoOrNull(k.last_used_at),
    is_active: keyState(k, nowMs) === 'active',
    created_at: iso(k.created_at),
    created_by: k.created_by,
    revoked_at: isoOrNull(k.revoked_at),
    revoked_by: k.revoked_by
  }
}

export function toAuditEvent(e: AuditRecord): AuditEvent & { details: Record<string, unknown> | null } {
  return {
    id: e.id,
    tenant_id: e.tenant_id,
    action: e.action,
    actor_key_id: e.actor_key_id,
    actor_key_name: e.actor_key_name,
    target_id: e.target_id,
    created_at: iso(e.created_at),
    details: e.details
  }
}

/** created_at desc, then id asc: a stable order for paging. */
export function compareKeys(a: KeyRecord, b: KeyRecord): number {
  return b.created_at - a.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** created_at desc, then newest insertion first. */
export function compareAudit(a: AuditRecord, b: AuditRecord): number {
  return b.created_at - a.created_at || b.seq - a.seq
}
