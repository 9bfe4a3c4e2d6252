import { randomUUID } from 'node:crypto'
import type { Scope } from '../shared/scopes'
import { generatePlaintextKey, hashKey, keyPreview } from './keys'
import type { AuditRecord, KeyRecord } from './records'
import type { SeedResult } from './seed'

const DAY = 86_400_000
const HOUR = 3_600_000

interface Spec {
  name: string
  scopes: Scope[]
  /** offsets from now, in ms (negative = in the past) */
  created: number
  expires: number | null
  lastUsed: number | null
  revoked?: number
}

/**
 * One key in every radar category, so "Try the sandbox" shows a radar with findings.
 * MeshQu's "expired but listed active" cannot happen here: the sandbox derives is_active.
 */
const SPECS: Spec[] = [
  { name: 'payments-gateway-prod-expiring', scopes: ['decisions:evaluate'], created: -200 * DAY, expires: 18 * HOUR, lastUsed: -2 * HOUR },
  { name: 'ledger-sync-prod-expiring', scopes: ['decisions:write'], created: -120 * DAY, expires: 5 * DAY, lastUsed: -1 * DAY },
  { name: 'reporting-prod-expiring', scopes: ['decisions:read'], created: -300 * DAY, expires: 21 * DAY, lastUsed: -3 * DAY },
  { name: 'legacy-exporter-prod-unused', scopes: ['audit:read'], created: -400 * DAY, expires: 300 * DAY, lastUsed: -200 * DAY },
  { name: 'ci-evaluator-staging-never-used', scopes: ['decisions:evaluate'], created: -60 * DAY, expires: 200 * DAY, lastUsed: null },
  { name: 'ops-console-admin', scopes: ['api-keys:admin', 'audit:admin', 'audit:read'], created: -90 * DAY, expires: 90 * DAY, lastUsed: -4 * HOUR },
  {
    name: 'trade-service-prod-no-expiry',
    scopes: ['decisions:evaluate', 'policies:read'],
    created: -250 * DAY,
    expires: null,
    lastUsed: -30 * 60_000
  },
  // Revoked after a rotation, yet a service that was never switched over keeps presenting it.
  { name: 'fraud-detector-prod-rotated', scopes: ['decisions:evaluate'], created: -330 * DAY, expires: null, lastUsed: -10 * DAY, revoked: -10 * DAY }
]
export const SHOWCASE_SIZE = SPECS.length
export const STILL_PRESENTED_NAME = 'fraud-detector-prod-rotated'
/** auth.denied events seeded for the still-presented key: every 3 hours over the last 3 days. */
const PRESENTATIONS = 24

/** A denial of a revoked or expired key, as the auth path writes it (auth.ts). */
export function deniedPresentation(key: KeyRecord, at: number, reason: 'key_revoked' | 'key_expired'): Omit<AuditRecord, 'seq'> {
  return {
    id: randomUUID(),
    tenant_id: key.tenant_id,
    action: 'auth.denied',
    actor_key_id: key.id,
    actor_key_name: key.name,
    target_id: null,
    created_at: at,
    details: { reason, method: 'POST', path: '/v1/decisions/evaluate', key_preview: key.preview, simulated: true }
  }
}

/** The showcase keys for a tenant (hashes of plaintexts nobody keeps) and their audit events. */
export function radarShowcase(tenantId: string, nowMs: number): SeedResult {
  const keys: KeyRecord[] = []
  const events: Omit<AuditRecord, 'seq'>[] = []
  for (const s of SPECS) {
    const plaintext = generatePlaintextKey()
    const key: KeyRecord = {
      id: randomUUID(),
      tenant_id: tenantId,
      name: s.name,
      hash: hashKey(plaintext),
      preview: keyPreview(plaintext),
      scopes: [...s.scopes],
      expires_at: s.expires === null ? null : nowMs + s.expires,
      last_used_at: s.lastUsed === null ? null : nowMs + s.lastUsed,
      created_at: nowMs + s.created,
      created_by: null,
      revoked_at: s.revoked === undefined ? null : nowMs + s.revoked,
      revoked_by: null
    }
    keys.push(key)
    const base = { tenant_id: tenantId, actor_key_id: null, actor_key_name: null, target_id: key.id }
    events.push({
      ...base,
      id: randomUUID(),
      action: 'api_key.created',
      created_at: key.created_at,
      details: { name: key.name, scopes: key.scopes, seeded: true }
    })
    if (key.revoked_at !== null) {
      events.push({ ...base, id: randomUUID(), action: 'api_key.revoked', created_at: key.revoked_at, details: { name: key.name, seeded: true } })
    }
    if (s.name === STILL_PRESENTED_NAME) {
      for (let i = 0; i < PRESENTATIONS; i++) events.push(deniedPresentation(key, nowMs - i * 3 * HOUR - 60_000, 'key_revoked'))
    }
  }
  return { keys, events }
}
