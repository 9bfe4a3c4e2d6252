import type { Database, Statement } from 'better-sqlite3'
import type { ApiKey } from '../../../shared/meshqu'
import { DAY_MS, type OutsideChange, type OutsideKind, type RadarCategory, type RadarRules } from '../../../shared/radar'
import { POLICY_CLOCK_GRACE_MS, type EnvironmentPolicy } from '../../../shared/policy'
import type { Environment } from '../../../shared/tenants'
import { SCOPE_PRESETS } from '../../../shared/scope-presets'
import type { Logger } from '../log'
import { OPEN_OUTSIDE } from './outside-changes'

/** One tenant as the radar sees it: its rules (by environment) and KeyDesk's own admin key. */
export interface RadarTenant {
  tenant: string
  rules: RadarRules
  ownAdminPreview: string | null
  /** The fleet policy of the tenant's environment; without it nothing is "outside policy". */
  policy?: { rules: EnvironmentPolicy; environment: Environment }
}

export type RadarCounts = Record<RadarCategory, number>

export interface RadarTenantCounts {
  counts: RadarCounts
  /** When the tenant's keys were last synced into the store; null when never. */
  syncedAt: number | null
  /** Live keys (listed, not revoked, not expired): the base of the tenant's policy compliance. */
  live: number
}

export interface RadarRow {
  keyId: string
  /** The stored key; null when a rotation or schedule names a key the store does not hold. */
  key: ApiKey | null
}

/**
 * Each key category as one WHERE clause over `keys k` (one tenant at a time), written to be
 * answered from an index: keys_by_status for expiry, keys_by_use for use, keys_privileged for
 * scopes (store/migrations/radar.ts). The same rules as keyFindings() in shared/radar.ts.
 */
const ROW = 'k.tenant = @tenant AND k.listed = 1 AND k.revoked = 0'
const UNEXPIRED = '(k.expires_ms IS NULL OR k.expires_ms > @now)'
type KeyCategory = Exclude<RadarCategory, 'rotation-pending' | 'revoke-failed' | 'outside-policy' | 'created-outside' | 'revoked-outside'>
// `from` names the index where SQLite's planner would pick a wider one and read every row.
const KEY_RULES: Record<KeyCategory, { where: string; order: string; from?: string }> = {
  'expired-active': { where: `${ROW} AND k.expires_ms <= @now AND k.is_active = 1`, order: 'k.expires_ms, k.rowid' },
  'expiring-1d': { where: `${ROW} AND k.expires_ms > @now AND k.expires_ms <= @within1`, order: 'k.expires_ms, k.rowid' },
  'expiring-7d': { where: `${ROW} AND k.expires_ms > @now AND k.expires_ms <= @within7`, order: 'k.expires_ms, k.rowid' },
  'expiring-30d': { where: `${ROW} AND k.expires_ms > @now AND k.expires_ms <= @within30`, order: 'k.expires_ms, k.rowid' },
  'never-used': { where: `${ROW} AND k.last_used_ms IS NULL AND k.created_ms <= @neverUsedBefore AND ${UNEXPIRED}`, order: 'k.created_ms, k.rowid' },
  // NULL never compares <=, so never-used keys stay out of "unused".
  unused: { where: `${ROW} AND k.last_used_ms <= @unusedBefore AND ${UNEXPIRED}`, order: 'k.last_used_ms, k.rowid' },
  'no-expiry': { where: `${ROW} AND k.expires_ms IS NULL`, order: 'k.created_ms, k.rowid', from: 'keys k INDEXED BY keys_no_expiry' },
  privileged: {
    where: `${ROW} AND k.privileged = 1 AND ${UNEXPIRED} AND k.key_preview IS NOT @own`,
    order: 'k.name, k.rowid',
    from: 'keys k INDEXED BY keys_privileged'
  }
}
const KEY_CATEGORIES = Object.keys(KEY_RULES) as KeyCategory[]

/**
 * "Outside policy": a live key without a running waiver that breaks a rule of the environment's
 * policy, the same rules as policyBreaches() in shared/policy.ts. The policy arrives as parameters
 * (policyParams), so one statement serves every environment. Always counted, never kept: a waiver
 * lapses and a policy changes without a sync.
 */
const KEY_SCOPES_SORTED = `coalesce((SELECT group_concat(scope, ' ') FROM (SELECT ks.scope FROM key_scopes ks WHERE ks.key_rowid = k.rowid ORDER BY ks.scope)), '')`
const POLICY_WHERE = `${ROW} AND ${UNEXPIRED}
  AND NOT EXISTS (SELECT 1 FROM policy_waivers w WHERE w.tenant = k.tenant AND w.key_id = k.id AND w.until_ms > @now)
  AND ((@expiryRequired = 1 AND k.expires_ms IS NULL)
    OR (@maxMs IS NOT NULL AND (k.expires_ms IS NULL OR k.expires_ms - k.created_ms > @maxMs))
    OR (k.key_preview IS NOT @own AND EXISTS (SELECT 1 FROM key_scopes ks WHERE ks.key_rowid = k.rowid
          AND ks.scope IN (SELECT value FROM json_each(@forbidden))))
    OR (@presets IS NOT NULL AND k.key_preview IS NOT @own AND ${KEY_SCOPES_SORTED} NOT IN (SELECT value FROM json_each(@presets))))`
const LIVE_SQL = `SELECT count(*) FROM keys k WHERE ${ROW} AND ${UNEXPIRED}`

/** A policy with no rule (permissive environments by default) has nothing outside it: no rows are read. */
function hasRules(p: RadarTenant['policy']): p is NonNullable<RadarTenant['policy']> {
  if (!p) return false
  const r = p.rules
  return r.expiryRequired || r.maxExpiryDays !== null || r.forbiddenScopes.length > 0 || r.allowedPresets !== null
}

function policyParams(t: RadarTenant & { policy: NonNullable<RadarTenant['policy']> }, now: number) {
  const p = t.policy.rules
  return {
    tenant: t.tenant,
    now,
    own: t.ownAdminPreview,
    expiryRequired: p.expiryRequired ? 1 : 0,
    maxMs: p.maxExpiryDays === null ? null : p.maxExpiryDays * DAY_MS + POLICY_CLOCK_GRACE_MS,
    forbidden: JSON.stringify(p.forbiddenScopes),
    // Each allowed preset's scopes as the sorted, space-joined text KEY_SCOPES_SORTED makes.
    presets:
      p.allowedPresets === null
        ? null
        : JSON.stringify(SCOPE_PRESETS.filter((x) => p.allowedPresets!.includes(x.id)).map((x) => [...x.scopes].sort().join(' ')))
  }
}

const ROTATION_WHERE = `r.tenant = @tenant AND r.rotated_at < @rotationBefore
  AND NOT EXISTS (SELECT 1 FROM keys k WHERE k.tenant = r.tenant AND k.id = r.old_key_id AND k.revoked = 1)`

/**
 * `scheduled_revokes` belongs to the scheduler (another migration). The radar reads
 * it only when it exists, and expects (tenant TEXT, key_id TEXT, state TEXT) with
 * state = 'failed' for a revoke that failed.
 */
const FAILED_WHERE = `s.tenant = @tenant AND s.state = 'failed'`

/** Changes made outside KeyDesk still open (store/outside-changes.ts), of one kind. */
const OUTSIDE_KIND: Record<'created-outside' | 'revoked-outside', OutsideKind> = { 'created-outside': 'created', 'revoked-outside': 'revoked' }
const OUTSIDE_COUNT = `SELECT count(*) FROM outside_changes o WHERE ${OPEN_OUTSIDE} AND o.kind = @kind`
const OUTSIDE_LIST = `SELECT o.key_id, (SELECT json FROM keys k WHERE k.tenant = o.tenant AND k.id = o.key_id) AS json
  FROM outside_changes o WHERE ${OPEN_OUTSIDE} AND o.kind = @kind ORDER BY o.found_at DESC, o.key_name, o.key_id LIMIT @limit OFFSET @offset`
const OUTSIDE_OPEN = `SELECT o.key_id, o.kind, o.actor, o.actor_name, o.changed_at, o.found_at FROM outside_changes o WHERE ${OPEN_OUTSIDE}
  ORDER BY o.kind`

/**
 * `journal` belongs to the operator journal. The report reads the latest reason of
 * a key only when the table exists, and expects (tenant TEXT, key_id TEXT, reason TEXT NULL,
 * at INTEGER): the newest row with a non-empty reason wins.
 */
const JOURNAL_REASON = `SELECT reason FROM journal WHERE tenant = ? AND key_id = ? AND reason IS NOT NULL AND reason <> ''
  ORDER BY at DESC, rowid DESC LIMIT 1`

function params(t: RadarTenant, now: number) {
  return {
    tenant: t.tenant,
    now,
    within1: now + DAY_MS,
    within7: now + 7 * DAY_MS,
    within30: now + 30 * DAY_MS,
    neverUsedBefore: now - t.rules.neverUsedDays * DAY_MS,
    unusedBefore: now - t.rules.unusedDays * DAY_MS,
    rotationBefore: now - t.rules.rotationPendingDays * DAY_MS,
    own: t.ownAdminPreview
  }
}

/**
 * What changed in a tenant's key-category counts between @t0 and @t1 (t0 ≤ t1) while its keys
 * did not: each term counts the keys whose expiry, last use or creation crossed a threshold in
 * between, one narrow index range each (store/migrations/radar-counts.ts). With E the expiry:
 *   expired-active  += active keys with t0 < E ≤ t1
 *   expiring-Nd     += keys with t0+N < E ≤ t1+N (entered the window) − keys with t0 < E ≤ t1 (expired)
 *   never used      += keys never used created in (t0−n, t1−n], unexpired at t1
 *                    − keys never used created by t0−n that expired in (t0, t1]
 *   unused          the same with the last use and its threshold
 *   privileged      −= privileged keys (not KeyDesk's own) that expired in (t0, t1]
 *   no expiry       unchanged
 */
const EXPIRED_BETWEEN = 'k.expires_ms > @t0 AND k.expires_ms <= @t1'
const BY_EXPIRY = 'keys k INDEXED BY keys_by_status'
const BY_USE = 'keys k INDEXED BY keys_by_use'
const UNEXPIRED_AT_T1 = '(k.expires_ms IS NULL OR k.expires_ms > @t1)'
const DELTA_SQL = `SELECT
  (SELECT count(*) FROM ${BY_EXPIRY} WHERE ${ROW} AND ${EXPIRED_BETWEEN} AND k.is_active = 1) AS expiredActive,
  (SELECT count(*) FROM ${BY_EXPIRY} WHERE ${ROW} AND ${EXPIRED_BETWEEN}) AS expired,
  (SELECT count(*) FROM ${BY_EXPIRY} WHERE ${ROW} AND k.expires_ms > @t0 + ${DAY_MS} AND k.expires_ms <= @t1 + ${DAY_MS}) AS entered1,
  (SELECT count(*) FROM ${BY_EXPIRY} WHERE ${ROW} AND k.expires_ms > @t0 + ${7 * DAY_MS} AND k.expires_ms <= @t1 + ${7 * DAY_MS}) AS entered7,
  (SELECT count(*) FROM ${BY_EXPIRY} WHERE ${ROW} AND k.expires_ms > @t0 + ${30 * DAY_MS} AND k.expires_ms <= @t1 + ${30 * DAY_MS}) AS entered30,
  (SELECT count(*) FROM ${BY_USE} WHERE ${ROW} AND k.last_used_ms IS NULL AND k.created_ms > @t0 - @neverUsedMs
     AND k.created_ms <= @t1 - @neverUsedMs AND ${UNEXPIRED_AT_T1}) AS neverUsedIn,
  (SELECT count(*) FROM ${BY_EXPIRY} WHERE ${ROW} AND ${EXPIRED_BETWEEN} AND k.last_used_ms IS NULL
     AND k.created_ms <= @t0 - @neverUsedMs) AS neverUsedOut,
  (SELECT count(*) FROM ${BY_USE} WHERE ${ROW} AND k.last_used_ms > @t0 - @unusedMs AND k.last_used_ms <= @t1 - @unusedMs
     AND ${UNEXPIRED_AT_T1}) AS unusedIn,
  (SELECT count(*) FROM ${BY_EXPIRY} WHERE ${ROW} AND ${EXPIRED_BETWEEN} AND k.last_used_ms <= @t0 - @unusedMs) AS unusedOut,
  (SELECT count(*) FROM keys k INDEXED BY keys_privileged WHERE ${ROW} AND k.privileged = 1 AND ${EXPIRED_BETWEEN}
     AND k.key_preview IS NOT @own) AS privilegedOut`
type Delta = Record<
  'expiredActive' | 'expired' | 'entered1' | 'entered7' | 'entered30' | 'neverUsedIn' | 'neverUsedOut' | 'unusedIn' | 'unusedOut' | 'privilegedOut',
  number
>

type KeyCounts = Record<KeyCategory, number>

function applyDelta(c: KeyCounts, d: Delta, flagNoExpiry: boolean): KeyCounts {
  return {
    'expired-active': c['expired-active'] + d.expiredActive,
    'expiring-1d': c['expiring-1d'] + d.entered1 - d.expired,
    'expiring-7d': c['expiring-7d'] + d.entered7 - d.expired,
    'expiring-30d': c['expiring-30d'] + d.entered30 - d.expired,
    'never-used': c['never-used'] + d.neverUsedIn - d.neverUsedOut,
    unused: c.unused + d.unusedIn - d.unusedOut,
    'no-expiry': flagNoExpiry ? c['no-expiry'] : 0,
    privileged: c.privileged - d.privilegedOut
  }
}

/** Kept counts as written by summary(); anything else (a damaged row) is counted again. */
function parseKept(json: string): KeyCounts | null {
  try {
    const c = JSON.parse(json) as Record<string, unknown>
    return KEY_CATEGORIES.every((k) => Number.isSafeInteger(c[k])) ? (c as KeyCounts) : null
  } catch {
    return null
  }
}

/** The rules that change a key-category count (not notifications, not rotation's threshold). */
const countRules = (t: RadarTenant) => JSON.stringify([t.rules.unusedDays, t.rules.neverUsedDays, t.rules.flagNoExpiry, t.ownAdminPreview])

type Prepared = ReturnType<typeof prepare>

function prepare(db: Database) {
  const count = {} as Record<KeyCategory, Statement>
  const list = {} as Record<KeyCategory, Statement>
  for (const c of KEY_CATEGORIES) {
    const { where, order, from = 'keys k' } = KEY_RULES[c]
    count[c] = db.prepare(`SELECT count(*) FROM ${from} WHERE ${where}`).pluck()
    list[c] = db.prepare(`SELECT k.id AS key_id, k.json FROM keys k WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
  }
  return {
    count,
    list,
    delta: db.prepare<Record<string, unknown>, Delta>(DELTA_SQL),
    kept: db.prepare<[string], { synced_at: number; rules: string; at: number; counts: string }>(
      'SELECT synced_at, rules, at, counts FROM radar_counts WHERE tenant = ?'
    ),
    keep: db.prepare(
      `INSERT INTO radar_counts (tenant, synced_at, rules, at, counts) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant) DO UPDATE SET synced_at = excluded.synced_at, rules = excluded.rules, at = excluded.at, counts = excluded.counts`
    ),
    policyCount: db.prepare(`SELECT count(*) FROM keys k WHERE ${POLICY_WHERE}`).pluck(),
    policyList: db.prepare(`SELECT k.id AS key_id, k.json FROM keys k WHERE ${POLICY_WHERE} ORDER BY k.name, k.rowid LIMIT @limit OFFSET @offset`),
    liveCount: db.prepare(LIVE_SQL).pluck(),
    // What the policy count depends on besides the policy: this connection's writes, other
    // connections' commits, and the next instant a live key expires or a waiver lapses.
    changes: db.prepare('SELECT total_changes()').pluck(),
    nextPolicyBoundary: db.prepare<{ tenant: string; now: number }, { expires: number | null; lapses: number | null }>(
      `SELECT (SELECT min(expires_ms) FROM keys WHERE tenant = @tenant AND listed = 1 AND revoked = 0 AND expires_ms > @now) AS expires,
              (SELECT min(until_ms) FROM policy_waivers WHERE tenant = @tenant AND until_ms > @now) AS lapses`
    ),
    waivers: db.prepare<[string], { key_id: string; until_ms: number }>('SELECT key_id, until_ms FROM policy_waivers WHERE tenant = ?'),
    rotationCount: db.prepare(`SELECT count(*) FROM rotations r WHERE ${ROTATION_WHERE}`).pluck(),
    rotationList: db.prepare(
      `SELECT r.old_key_id AS key_id, (SELECT json FROM keys k WHERE k.tenant = r.tenant AND k.id = r.old_key_id) AS json
       FROM rotations r WHERE ${ROTATION_WHERE} ORDER BY r.rotated_at, r.old_key_id LIMIT @limit OFFSET @offset`
    ),
    hasTable: db.prepare<[string]>(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck(),
    expiring: db.prepare<{ tenant: string; now: number; within30: number }, { id: string; name: string; expires_ms: number }>(
      `SELECT k.id, k.name, k.expires_ms FROM keys k WHERE k.tenant = @tenant AND k.listed = 1 AND k.revoked = 0
         AND k.expires_ms > @now AND k.expires_ms <= @within30 ORDER BY k.expires_ms`
    ),
    notices: db.prepare<[string], { key_id: string; threshold_days: number }>('SELECT key_id, threshold_days FROM expiry_notices WHERE tenant = ?'),
    addNotice: db.prepare('INSERT OR IGNORE INTO expiry_notices (tenant, key_id, threshold_days, notified_at) VALUES (?, ?, ?, ?)'),
    putPresented: db.prepare('INSERT OR REPLACE INTO presented_keys (tenant, checked_at, json) VALUES (?, ?, ?)'),
    presented: db.prepare<[string], { checked_at: number; json: string }>('SELECT checked_at, json FROM presented_keys WHERE tenant = ?'),
    rotations: db.prepare<[string], { old_key_id: string; rotated_at: number }>('SELECT old_key_id, rotated_at FROM rotations WHERE tenant = ?'),
    syncedAt: db.prepare<[string], number>('SELECT synced_at FROM tenant_sync WHERE tenant = ?').pluck(),
    byId: db.prepare<[string, string], string>('SELECT json FROM keys WHERE tenant = ? AND id = ?').pluck(),
    /** policyCounts()'s answers per tenant, for this opened database only (its total_changes start at 0). */
    policyMemo: new Map<string, { stamp: string; from: number; until: number; outside: number; live: number }>(),
    /** Statements over other features' tables, by SQL, prepared on first use (optional() below). */
    optional: new Map<string, Statement | null>()
  }
}

const parseKey = (json: string | null): ApiKey | null => (json === null ? null : (JSON.parse(json) as ApiKey))

/**
 * The radar's questions to the fleet store: counts per category and tenant (each an index range
 * count, no key is loaded), a category's keys page by page, what expiry notices were given, and
 * the last "still presented" answer. Statements are prepared once per opened database.
 */
export function createRadarStore(database: () => Promise<Database>, log: Logger) {
  const prepared = new WeakMap<Database, Prepared>()
  /**
   * Outside-policy and live counts per tenant, reused while nothing they depend on changed: no
   * write on this connection (total_changes), none by another (data_version), the same policy and
   * own key, and no key expiring or waiver lapsing in between. Counting reads every live key of a
   * tenant with rules (~40 ms at 10,000 keys), so an unchanged fleet is not read again each call.
   */
  function policyCounts(db: Database, q: Prepared, t: RadarTenant, now: number): { outside: number; live: number } {
    const stamp = JSON.stringify([q.changes.get(), db.pragma('data_version', { simple: true }), t.policy ?? null, t.ownAdminPreview])
    const kept = q.policyMemo.get(t.tenant)
    if (kept && kept.stamp === stamp && kept.from <= now && now < kept.until) return kept
    const outside = hasRules(t.policy) ? (q.policyCount.get(policyParams({ ...t, policy: t.policy }, now)) as number) : 0
    const live = q.liveCount.get({ tenant: t.tenant, now }) as number
    const next = q.nextPolicyBoundary.get({ tenant: t.tenant, now })
    const until = Math.min(next?.expires ?? Infinity, next?.lapses ?? Infinity)
    q.policyMemo.set(t.tenant, { stamp, from: now, until, outside, live })
    return { outside, live }
  }
  const warned = new Set<string>()
  async function stmts(): Promise<{ db: Database; q: Prepared }> {
    const db = await database()
    let q = prepared.get(db)
    if (!q) prepared.set(db, (q = prepare(db)))
    return { db, q }
  }

  /**
   * A statement over another feature's table (journal, scheduled revokes): absent table → null;
   * a table whose columns differ from what is documented above → null, said once in the log.
   * Either answer is kept with the database's statements: its tables are all made when it opens
   * (migrations), and summary() asks once per tenant on every call.
   */
  function optional(db: Database, q: Prepared, table: string, sql: string): Statement | null {
    const kept = q.optional.get(sql)
    if (kept !== undefined) return kept
    let s: Statement | null = null
    if (q.hasTable.get(table)) {
      try {
        s = db.prepare(sql)
      } catch (err) {
        if (!warned.has(table)) {
          warned.add(table)
          log.warn(`radar: table ${table} does not have the expected columns; its findings are left out`, err)
        }
      }
    }
    q.optional.set(sql, s)
    return s
  }

  function failedCount(db: Database, q: Prepared, p: ReturnType<typeof params>): number {
    const s = optional(db, q, 'scheduled_revokes', `SELECT count(DISTINCT s.key_id) FROM scheduled_revokes s WHERE ${FAILED_WHERE}`)
    return s ? (s.pluck().get(p) as number) : 0
  }

  function outsideCount(db: Database, q: Prepared, tenant: string, kind: OutsideKind): number {
    const s = optional(db, q, 'outside_changes', OUTSIDE_COUNT)
    return s ? (s.pluck().get({ tenant, kind }) as number) : 0
  }

  return {
    /**
     * Counts of every category for each given tenant (tenants never synced count zero keys).
     * Key categories come from the tenant's kept counts plus what changed since (radar_counts);
     * a tenant is counted in full only when it has none: synced since, other rules, or a clock
     * that went back.
     */
    async summary(tenants: readonly RadarTenant[], now: number): Promise<Map<string, RadarTenantCounts>> {
      const { db, q } = await stmts()
      const out = new Map<string, RadarTenantCounts>()
      for (const t of tenants) {
        let counted = false
        db.transaction(() => {
          const p = params(t, now)
          const syncedAt = (q.syncedAt.get(t.tenant) as number | undefined) ?? null
          const rules = countRules(t)
          const kept = q.kept.get(t.tenant)
          let keyCounts: KeyCounts
          const base = kept && kept.synced_at === syncedAt && kept.rules === rules && kept.at <= now ? parseKept(kept.counts) : null
          if (syncedAt !== null && kept && base) {
            const d = q.delta.get({
              tenant: t.tenant,
              t0: kept.at,
              t1: now,
              neverUsedMs: t.rules.neverUsedDays * DAY_MS,
              unusedMs: t.rules.unusedDays * DAY_MS,
              own: t.ownAdminPreview
            })!
            keyCounts = applyDelta(base, d, t.rules.flagNoExpiry)
            // Nothing crossed a threshold: the kept row still holds as of `at`, and is not rewritten.
            if (Object.values(d).some((n) => n !== 0)) q.keep.run(t.tenant, syncedAt, rules, now, JSON.stringify(keyCounts))
          } else {
            counted = true
            keyCounts = {} as KeyCounts
            for (const c of KEY_CATEGORIES) keyCounts[c] = c === 'no-expiry' && !t.rules.flagNoExpiry ? 0 : (q.count[c].get(p) as number)
            if (syncedAt !== null) q.keep.run(t.tenant, syncedAt, rules, now, JSON.stringify(keyCounts))
          }
          // Rotations, schedules, waivers, the policy and outside changes change without a sync: never kept in the file.
          const policy = policyCounts(db, q, t, now)
          const counts = {
            ...keyCounts,
            'outside-policy': policy.outside,
            'rotation-pending': q.rotationCount.get(p) as number,
            'revoke-failed': failedCount(db, q, p),
            'created-outside': outsideCount(db, q, t.tenant, 'created'),
            'revoked-outside': outsideCount(db, q, t.tenant, 'revoked')
          } as RadarCounts
          out.set(t.tenant, { counts, syncedAt, live: policy.live })
        })()
        // Counting a tenant in full reads its index pages (a few ms when they are not cached);
        // main's other calls (the active tenant's list) go in between tenants, not after all.
        if (counted) await new Promise<void>((resolve) => setImmediate(resolve))
      }
      return out
    },

    /** One tenant's keys in one category, in the category's order (soonest expiry, oldest use…). */
    async keys(t: RadarTenant, category: RadarCategory, now: number, page: { limit: number; offset: number }): Promise<RadarRow[]> {
      const { db, q } = await stmts()
      const p = { ...params(t, now), ...page }
      let rows: { key_id: string; json: string | null }[]
      if (category === 'rotation-pending') rows = q.rotationList.all(p) as typeof rows
      else if (category === 'outside-policy')
        rows = hasRules(t.policy) ? (q.policyList.all({ ...policyParams({ ...t, policy: t.policy }, now), ...page }) as typeof rows) : []
      else if (category === 'revoke-failed') {
        const s = optional(
          db,
          q,
          'scheduled_revokes',
          `SELECT s.key_id, (SELECT json FROM keys k WHERE k.tenant = s.tenant AND k.id = s.key_id) AS json
           FROM scheduled_revokes s WHERE ${FAILED_WHERE} GROUP BY s.key_id ORDER BY s.key_id LIMIT @limit OFFSET @offset`
        )
        rows = s ? (s.all(p) as typeof rows) : []
      } else if (category === 'created-outside' || category === 'revoked-outside') {
        const s = optional(db, q, 'outside_changes', OUTSIDE_LIST)
        rows = s ? (s.all({ ...page, tenant: t.tenant, kind: OUTSIDE_KIND[category] }) as typeof rows) : []
      } else if (category === 'no-expiry' && !t.rules.flagNoExpiry) rows = []
      else rows = q.list[category].all(p) as typeof rows
      return rows.map((r) => ({ keyId: r.key_id, key: parseKey(r.json) }))
    },

    /** Per key id: when a rotation kept it, whether a scheduled revoke of it failed, its open changes made outside KeyDesk, and until when a policy waiver runs. */
    async keyContext(tenant: string): Promise<{
      rotatedAt: Map<string, number>
      revokeFailed: Set<string>
      outside: Map<string, OutsideChange[]>
      waivedUntil: Map<string, number>
    }> {
      const { db, q } = await stmts()
      const waivedUntil = new Map(q.waivers.all(tenant).map((w) => [w.key_id, w.until_ms]))
      const rotatedAt = new Map(q.rotations.all(tenant).map((r) => [r.old_key_id, r.rotated_at]))
      const s = optional(db, q, 'scheduled_revokes', `SELECT DISTINCT s.key_id FROM scheduled_revokes s WHERE ${FAILED_WHERE}`)
      const revokeFailed = new Set<string>(s ? (s.pluck().all({ tenant }) as string[]) : [])
      const o = optional(db, q, 'outside_changes', OUTSIDE_OPEN)
      const outside = new Map<string, OutsideChange[]>()
      type OutsideRow = {
        key_id: string
        kind: OutsideKind
        actor: string | null
        actor_name: string | null
        changed_at: string | null
        found_at: number
      }
      for (const r of (o ? o.all({ tenant }) : []) as OutsideRow[]) {
        const c: OutsideChange = { kind: r.kind, actor: r.actor, actorName: r.actor_name, changedAt: r.changed_at, foundAt: r.found_at }
        outside.set(r.key_id, [...(outside.get(r.key_id) ?? []), c])
      }
      return { rotatedAt, revokeFailed, outside, waivedUntil }
    },

    async syncedAt(tenant: string): Promise<number | null> {
      const { q } = await stmts()
      return (q.syncedAt.get(tenant) as number | undefined) ?? null
    },

    /** Stored keys of a tenant by id (listed or not); ids the store does not hold are absent. */
    async keysById(tenant: string, ids: Iterable<string>): Promise<Map<string, ApiKey>> {
      const { q } = await stmts()
      const out = new Map<string, ApiKey>()
      for (const id of ids) {
        const json = q.byId.get(tenant, id) as string | undefined
        if (json !== undefined) out.set(id, JSON.parse(json) as ApiKey)
      }
      return out
    },

    /** The journal's latest reason for a key, or null (no journal table, or no reason given). */
    async journalReasons(tenant: string, keyIds: readonly string[]): Promise<Map<string, string>> {
      const { db, q } = await stmts()
      const s = optional(db, q, 'journal', JOURNAL_REASON)
      const out = new Map<string, string>()
      if (!s) return out
      for (const id of keyIds) {
        const reason = s.pluck().get(tenant, id) as string | undefined
        if (reason) out.set(id, reason)
      }
      return out
    },

    expiry: {
      /** Live listed keys of the tenant expiring within 30 days, soonest first. */
      async candidates(tenant: string, now: number) {
        const { q } = await stmts()
        return q.expiring.all({ tenant, now, within30: now + 30 * DAY_MS })
      },
      /** key id → thresholds (days) already notified. */
      async notified(tenant: string): Promise<Map<string, Set<number>>> {
        const { q } = await stmts()
        const out = new Map<string, Set<number>>()
        for (const r of q.notices.all(tenant)) {
          const set = out.get(r.key_id) ?? new Set<number>()
          set.add(r.threshold_days)
          out.set(r.key_id, set)
        }
        return out
      },
      async mark(rows: readonly { tenant: string; keyId: string; thresholds: readonly number[] }[], at: number) {
        const { db, q } = await stmts()
        db.transaction(() => {
          for (const r of rows) for (const d of r.thresholds) q.addNotice.run(r.tenant, r.keyId, d, at)
        })()
      }
    },

    presented: {
      async save(tenant: string, checkedAt: number, value: unknown) {
        const { q } = await stmts()
        q.putPresented.run(tenant, checkedAt, JSON.stringify(value))
      },
      async load(tenant: string): Promise<{ checkedAt: number; value: unknown } | null> {
        const { q } = await stmts()
        const row = q.presented.get(tenant)
        return row ? { checkedAt: row.checked_at, value: JSON.parse(row.json) as unknown } : null
      }
    }
  }
}

export type RadarStore = ReturnType<typeof createRadarStore>
