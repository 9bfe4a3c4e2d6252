import { randomUUID } from 'node:crypto'
import type { KeyStatusFilter } from '../shared/meshqu'
import { SCOPES, type Scope } from '../shared/scopes'
import { generatePlaintextKey, hashKey, keyPreview } from './keys'
import { compareAudit, compareKeys, keyState, type AuditRecord, type KeyRecord } from './records'
import { generateSeedKeys } from './seed'
import { deniedPresentation, radarShowcase, SHOWCASE_SIZE } from './showcase'
import { SandboxError } from './errors'

export interface TenantRecord {
  id: string
  name: string
  created_at: number
  /** the key the sandbox provisioned for this tenant (its plaintext is never stored here) */
  admin_key_id: string | null
  /** next number for seeded key names */
  seed_counter: number
  keys: KeyRecord[]
  audit: AuditRecord[]
}

interface TenantIndex {
  record: TenantRecord
  byId: Map<string, KeyRecord>
  keysSorted: boolean
  auditSorted: boolean
}

/** The whole persisted state (state.json in the data dir). Hashes only, never a plaintext key. */
export interface StoreSnapshot {
  version: 1
  audit_seq: number
  tenants: TenantRecord[]
}

export interface NewKey {
  name: string
  scopes: Scope[]
  expires_at?: string | null
}

export interface TenantCounts {
  id: string
  name: string
  admin_key_id: string | null
  keys: { total: number; active: number; revoked: number; expired: number }
  audit_events: number
}

/** Audit events kept per tenant; the oldest go first beyond this (auth.denied floods). */
export const AUDIT_CAP = 100_000
export const ADMIN_KEY_NAME = 'keydesk-sandbox-admin'

/**
 * Tenants, keys (hashes) and audit events in memory. `onChange` fires after every mutation so the
 * persistence layer can schedule a write.
 */
export class SandboxStore {
  private tenants = new Map<string, TenantIndex>()
  private byHash = new Map<string, KeyRecord>()
  private auditSeq = 0
  onChange: () => void = () => {}

  constructor(private readonly now: () => number = Date.now) {}

  // ---- tenants -------------------------------------------------------------------------------

  listTenants(): TenantRecord[] {
    return [...this.tenants.values()].map((t) => t.record)
  }

  getTenant(id: string): TenantRecord | undefined {
    return this.tenants.get(id)?.record
  }

  /** A new tenant with one admin key holding all ten scopes. Returns the key's plaintext once. */
  createTenant(name?: string): { tenant: TenantRecord; adminKey: string } {
    const record: TenantRecord = {
      id: randomUUID(),
      name: name?.trim() || `acme-sandbox-${this.tenants.size + 1}`,
      created_at: this.now(),
      admin_key_id: null,
      seed_counter: 1,
      keys: [],
      audit: []
    }
    this.tenants.set(record.id, { record, byId: new Map(), keysSorted: true, auditSorted: true })
    const adminKey = this.issueAdminKey(record.id)
    return { tenant: record, adminKey }
  }

  /** A fresh admin key (all scopes) for a tenant, provisioned by the sandbox itself (created_by null). */
  issueAdminKey(tenantId: string): string {
    const { record, plaintext } = this.createKey(tenantId, { name: ADMIN_KEY_NAME, scopes: [...SCOPES] }, null)
    this.index(tenantId).record.admin_key_id = record.id
    this.onChange()
    return plaintext
  }

  // ---- keys ----------------------------------------------------------------------------------

  private index(tenantId: string): TenantIndex {
    const t = this.tenants.get(tenantId)
    if (!t) throw new Error(`Unknown tenant ${tenantId}`)
    return t
  }

  findByPlaintext(plaintext: string): KeyRecord | undefined {
    return this.byHash.get(hashKey(plaintext))
  }

  getKey(tenantId: string, id: string): KeyRecord | undefined {
    return this.tenants.get(tenantId)?.byId.get(id)
  }

  /** Issue a key. The plaintext is returned to the caller and forgotten here. */
  createKey(tenantId: string, input: NewKey, actor: KeyRecord | null): { record: KeyRecord; plaintext: string } {
    const t = this.index(tenantId)
    const plaintext = generatePlaintextKey()
    const record: KeyRecord = {
      id: randomUUID(),
      tenant_id: tenantId,
      name: input.name,
      hash: hashKey(plaintext),
      preview: keyPreview(plaintext),
      scopes: [...input.scopes],
      expires_at: input.expires_at ? Date.parse(input.expires_at) : null,
      last_used_at: null,
      created_at: this.now(),
      created_by: actor?.id ?? null,
      revoked_at: null,
      revoked_by: null
    }
    this.addKey(t, record)
    this.audit(tenantId, 'api_key.created', actor, record.id, {
      name: record.name,
      scopes: record.scopes,
      expires_at: input.expires_at ?? null
    })
    this.onChange()
    return { record, plaintext }
  }

  private addKey(t: TenantIndex, record: KeyRecord): void {
    const keys = t.record.keys
    if (t.keysSorted && keys.length > 0 && compareKeys(record, keys[0]!) > 0) t.keysSorted = false
    if (t.keysSorted) keys.unshift(record)
    else keys.push(record)
    t.byId.set(record.id, record)
    this.byHash.set(record.hash, record)
  }

  /** Revoke; idempotent (a second call returns the key unchanged, original revoked_at kept). */
  revokeKey(tenantId: string, id: string, actor: KeyRecord | null): KeyRecord | undefined {
    const record = this.getKey(tenantId, id)
    if (!record) return undefined
    if (record.revoked_at === null) {
      record.revoked_at = this.now()
      record.revoked_by = actor?.id ?? null
      this.audit(tenantId, 'api_key.revoked', actor, record.id, { name: record.name })
      this.onChange()
    }
    return record
  }

  touch(record: KeyRecord): void {
    record.last_used_at = this.now()
    this.onChange()
  }

  listKeys(tenantId: string, q: { limit: number; offset: number; status: KeyStatusFilter }): { data: KeyRecord[]; total: number } {
    const t = this.index(tenantId)
    if (!t.keysSorted) {
      t.record.keys.sort(compareKeys)
      t.keysSorted = true
    }
    const nowMs = this.now()
    const all = q.status === 'all' ? t.record.keys : t.record.keys.filter((k) => keyState(k, nowMs) === q.status)
    return { data: all.slice(q.offset, q.offset + q.limit), total: all.length }
  }

  /**
   * `count` demo keys (see seed.ts). With `showcase` (and room for it), the first of them are one
   * key per radar category (showcase.ts). Returns how many were created.
   */
  seed(tenantId: string, count: number, opts: { showcase?: boolean } = {}): number {
    const t = this.index(tenantId)
    const show = opts.showcase && count >= SHOWCASE_SIZE ? radarShowcase(tenantId, this.now()) : { keys: [], events: [] }
    const random = generateSeedKeys(tenantId, count - show.keys.length, this.now(), t.record.seed_counter)
    const keys = [...show.keys, ...random.keys]
    const events = [...show.events, ...random.events]
    t.record.seed_counter += random.keys.length
    for (const k of keys) {
      t.record.keys.push(k)
      t.byId.set(k.id, k)
      this.byHash.set(k.hash, k)
    }
    t.keysSorted = keys.length === 0 && t.keysSorted
    for (const e of events) t.record.audit.push({ ...e, seq: ++this.auditSeq })
    t.auditSorted = events.length === 0 && t.auditSorted
    this.capAudit(t)
    this.onChange()
    return keys.length
  }

  /**
   * A simulated service presents a revoked or expired key `times` times: each is an auth.denied
   * event naming the key, as a real request with it would write (auth.ts).
   */
  present(tenantId: string, keyId: string, times: number): { events: number; reason: 'key_revoked' | 'key_expired' } {
    const t = this.index(tenantId)
    const key = t.byId.get(keyId)
    if (!key) throw new SandboxError('NOT_FOUND', `No key ${keyId} in tenant ${tenantId}`)
    const state = keyState(key, this.now())
    if (state === 'active')
      throw new SandboxError('VALIDATION_ERROR', 'Only a revoked or expired key is denied; this one is active', { fields: { key_id: 'active key' } })
    const reason = state === 'revoked' ? 'key_revoked' : 'key_expired'
    for (let i = 0; i < times; i++) {
      const e = deniedPresentation(key, this.now(), reason)
      this.audit(tenantId, e.action, key, null, e.details)
    }
    return { events: times, reason }
  }

  // ---- audit ---------------------------------------------------------------------------------

  audit(tenantId: string, action: string, actor: KeyRecord | null, targetId: string | null, details: Record<string, unknown> | null): void {
    const t = this.tenants.get(tenantId)
    if (!t) return
    const event: AuditRecord = {
      id: randomUUID(),
      seq: ++this.auditSeq,
      tenant_id: tenantId,
      action,
      actor_key_id: actor?.id ?? null,
      actor_key_name: actor?.name ?? null,
      target_id: targetId,
      created_at: this.now(),
      details
    }
    const list = t.record.audit
    if (t.auditSorted && list.length > 0 && compareAudit(event, list[0]!) > 0) t.auditSorted = false
    if (t.auditSorted) list.unshift(event)
    else list.push(event)
    this.capAudit(t)
    this.onChange()
  }

  private capAudit(t: TenantIndex): void {
    if (t.record.audit.length <= AUDIT_CAP) return
    this.sortAudit(t)
    t.record.audit.length = AUDIT_CAP
  }

  private sortAudit(t: TenantIndex): void {
    if (!t.auditSorted) {
      t.record.audit.sort(compareAudit)
      t.auditSorted = true
    }
  }

  listAudit(
    tenantId: string,
    q: { limit: number; offset: number; fromDateMs: number | null; action: string | null }
  ): { data: AuditRecord[]; total: number } {
    const t = this.index(tenantId)
    this.sortAudit(t)
    const all =
      q.fromDateMs === null && q.action === null
        ? t.record.audit
        : t.record.audit.filter((e) => (q.fromDateMs === null || e.created_at >= q.fromDateMs) && (q.action === null || e.action === q.action))
    return { data: all.slice(q.offset, q.offset + q.limit), total: all.length }
  }

  // ---- state ---------------------------------------------------------------------------------

  counts(): TenantCounts[] {
    const nowMs = this.now()
    return this.listTenants().map((t) => {
      const keys = { total: t.keys.length, active: 0, revoked: 0, expired: 0 }
      for (const k of t.keys) keys[keyState(k, nowMs)] += 1
      return { id: t.id, name: t.name, admin_key_id: t.admin_key_id, keys, audit_events: t.audit.length }
    })
  }

  snapshot(): StoreSnapshot {
    return { version: 1, audit_seq: this.auditSeq, tenants: this.listTenants() }
  }

  static fromSnapshot(snapshot: StoreSnapshot, now: () => number = Date.now): SandboxStore {
    const store = new SandboxStore(now)
    store.auditSeq = snapshot.audit_seq
    for (const record of snapshot.tenants) {
      const t: TenantIndex = { record, byId: new Map(), keysSorted: false, auditSorted: false }
      for (const k of record.keys) {
        t.byId.set(k.id, k)
        store.byHash.set(k.hash, k)
      }
      store.tenants.set(record.id, t)
    }
    return store
  }
}
