import { randomBytes, randomUUID } from 'node:crypto'
import { SCOPES, type Scope } from '../shared/scopes'
import { KEY_PREFIX } from './keys'
import type { AuditRecord, KeyRecord } from './records'

const SERVICES = [
  'billing-service',
  'trade-service',
  'risk-engine',
  'ledger-sync',
  'fraud-detector',
  'pricing-api',
  'notifications',
  'kyc-worker',
  'payments-gateway',
  'settlement-batch',
  'reporting',
  'webhook-relay',
  'ci-evaluator',
  'policy-sync',
  'alert-router',
  'audit-exporter',
  'data-warehouse',
  'mobile-backend'
]
const ENVIRONMENTS = ['prod', 'prod', 'prod', 'staging', 'staging', 'dev', 'qa']
/** Scope bundles a real service would plausibly hold (least privilege), plus the odd wide one. */
const SCOPE_SETS: Scope[][] = [
  ['decisions:evaluate'],
  ['decisions:evaluate'],
  ['decisions:evaluate', 'decisions:read'],
  ['decisions:write'],
  ['decisions:read', 'decisions:write'],
  ['policies:read'],
  ['policies:read', 'policies:write'],
  ['alerts:read'],
  ['alerts:read', 'alerts:write'],
  ['audit:read'],
  ['audit:read', 'audit:admin'],
  ['policies:read', 'decisions:evaluate', 'alerts:read'],
  ['api-keys:admin']
]
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const DAY = 86_400_000

export interface SeedResult {
  keys: KeyRecord[]
  /** audit events without seq (the store numbers them) */
  events: Omit<AuditRecord, 'seq'>[]
}

/**
 * `count` demo keys with realistic, varied names, scopes, ages and states: most active, some
 * revoked, some expired, some expiring within two weeks, some never used. Their plaintexts never
 * existed (the hashes are random), so no one can authenticate with them. Fast: one randomBytes
 * call for the whole batch.
 */
export function generateSeedKeys(
  tenantId: string,
  count: number,
  nowMs: number,
  firstNumber: number,
  random: () => number = Math.random
): SeedResult {
  const keys: KeyRecord[] = []
  const events: Omit<AuditRecord, 'seq'>[] = []
  const entropy = randomBytes(count * 36)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  for (let i = 0; i < count; i++) {
    const bytes = entropy.subarray(i * 36, i * 36 + 36)
    const hash = bytes.subarray(0, 32).toString('hex')
    let tail = ''
    for (const b of bytes.subarray(32)) tail += BASE62[b % 62]
    const n = firstNumber + i
    const name = `${pick(SERVICES)}-${pick(ENVIRONMENTS)}-${String(n).padStart(3, '0')}`
    const scopes = random() < 0.04 ? [...SCOPES] : [...pick(SCOPE_SETS)]
    const created = nowMs - Math.floor(random() * 400 * DAY) - 60_000
    const roll = random()
    let expires: number | null = null
    let revoked: number | null = null
    if (roll < 0.1) {
      revoked = created + Math.floor(random() * (nowMs - created))
    } else if (roll < 0.2) {
      expires = created + Math.floor(random() * (nowMs - created))
    } else if (roll < 0.3) {
      expires = nowMs + Math.floor(DAY / 2 + random() * 14 * DAY)
    } else if (roll < 0.5) {
      expires = nowMs + Math.floor(30 * DAY + random() * 365 * DAY)
    }
    const usableUntil = Math.min(nowMs, revoked ?? nowMs, expires ?? nowMs)
    const lastUsed = random() < 0.15 ? null : created + Math.floor(random() * (usableUntil - created))
    const id = randomUUID()
    keys.push({
      id,
      tenant_id: tenantId,
      name,
      hash,
      preview: `${KEY_PREFIX}...${tail}`,
      scopes,
      expires_at: expires,
      last_used_at: lastUsed,
      created_at: created,
      created_by: null,
      revoked_at: revoked,
      revoked_by: null
    })
    events.push({
      id: randomUUID(),
      tenant_id: tenantId,
      action: 'api_key.created',
      actor_key_id: null,
      actor_key_name: null,
      target_id: id,
      created_at: created,
      details: { name, scopes, expires_at: expires === null ? null : new Date(expires).toISOString(), seeded: true }
    })
    if (revoked !== null) {
      events.push({
        id: randomUUID(),
        tenant_id: tenantId,
        action: 'api_key.revoked',
        actor_key_id: null,
        actor_key_name: null,
        target_id: id,
        created_at: revoked,
        details: { name, seeded: true }
      })
    }
  }
  return { keys, events }
}
