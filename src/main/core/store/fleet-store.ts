import type { Database, Statement } from 'better-sqlite3'
import { z } from 'zod'
import { AuditEventSchema, PaginationSchema, type ApiKey, type AuditEvent, type Pagination } from '../../../shared/meshqu'
import { EXPIRING_WITHIN_MS, type KeyStatus } from '../../../shared/key-view'
import { RateLimitWindowSchema, type RateLimitWindow } from '../../../shared/ratelimit'
import type { Rotation } from '../../../shared/contract'
import { CoreError } from '../errors'
import { keyUnavailable } from './key-unavailable'
import type { Logger } from '../log'
import { openEncryptedDatabase } from './open-database'
import { planSearch } from './search-plan'
import { createJournalTable, type JournalTable } from './journal-table'
import { createScheduleTable, type ScheduleTable } from './schedule-table'
import { createOutsideChanges, type OutsideChanges } from './outside-changes'
import { createPolicyTable, type PolicyTable } from './policy-table'
import { createTriageTable, type TriageTable } from './triage-table'
import { createCampaignTable, type CampaignTable } from './campaign-table'
import type { FleetPolicy, Waiver } from '../../../shared/policy'
import { createRadarStore } from './radar'
import { FILL_PENDING_SQL } from './migrations/lean-search'
import { buildReport, type ReportRequest } from './report-build'
import { createMetaTable, type MetaTable, type StoreMark } from './meta-table'
import { StoreRefusedError } from './refusal'
import type { OpenedMark } from './trust'

export interface FleetStoreOptions {
  /** The database file, e.g. `<data dir>/keydesk.db`. */
  path: string
  /** The keychain-held 32-byte data key; a rejection (locked keychain) keeps the store closed. */
  dataKey: () => Promise<Buffer>
  log: Logger
  now: () => number
  /** Runs right after the store opened a file (checks it against the anchor, imports the old per-tenant snapshots). */
  afterOpen?: (store: FleetStore) => Promise<void>
  /** After each anchored write commits (a journal entry, a schedule set or cancelled): where the file now stands. */
  onAnchor?: (mark: StoreMark) => void
}

export type StoreState = 'closed' | 'open' | 'unavailable'

export interface SyncResult {
  added: number
  changed: number
  vanished: number
  unchanged: number
}

export interface StoreList {
  keys: ApiKey[]
  syncedAt: number
}

/** The first rows of a tenant's list in the fleet store (same order), with the list's size and keys per status. */
export interface StoreHead {
  keys: ApiKey[]
  total: number
  counts: Record<KeyStatus, number>
  syncedAt: number
}

export interface StoredHit {
  tenant: string
  key: ApiKey
  syncedAt: number
  /** The text is the key's whole id or preview (ranked first). */
  exact: boolean
}

export type TenantCounts = Record<KeyStatus, number> & { tenant: string; syncedAt: number }

/** A write whose outcome is unknown because the connection dropped mid-way (see handlers/keys.ts). */
export interface UnknownWrite {
  kind: 'revoke' | 'create'
  keyId?: string
  name: string
  at: number
  /** The journal entry that recorded it as "may not have been applied", for its settlement entry. */
  journalSeq?: number
}

/** One unknown write checked against a complete list: what happened, and the sentence for the UI. */
export interface SettledWrite extends UnknownWrite {
  applied: boolean
  sentence: string
}

export interface AuditPage {
  syncedAt: number
  events: AuditEvent[]
  pagination: Pagination
}

/**
 * Rows written by one sync past which the WAL is checkpointed and truncated right after it. A
 * first sync of 10,000 keys writes ~5,000 pages, five times SQLite's automatic checkpoint (1,000
 * pages), and the WAL would otherwise stay that size until the next write; 1% changes of a
 * 10,000-key list (100 rows) stay below this and are left to the automatic checkpoints.
 */
const CHECKPOINT_AFTER_ROWS = 1_000
const StoredAuditSchema = z.object({ events: z.array(AuditEventSchema), pagination: PaginationSchema })
/** Tables whose rows outlive the tenant: the journal is the record of what was done. */
const KEPT_AFTER_REMOVAL = new Set(['journal'])
const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso))
/** The time-independent half of keyStatus(): revoked whatever the clock says. */
const isRevoked = (k: ApiKey) => k.revoked_at !== null || (!k.is_active && k.expires_at === null)

/**
 * One encrypted SQLite database holding every tenant's keys and the data that goes with them.
 * Opened lazily in main only, with the keychain's data key; every fleet question (search all,
 * counts, the list in the fleet store of a tenant) is a query here, so the renderer gets only its answer.
 * better-sqlite3 is synchronous: each method is one short transaction on the main thread.
 */
export function createFleetStore(opts: FleetStoreOptions) {
  let db: Database | undefined
  let opening: Promise<Database> | undefined
  let state: StoreState = 'closed'
  let unavailable: CoreError | undefined
  const warnings: string[] = []
  let q: ReturnType<typeof prepare> | undefined
  let journal: JournalTable | undefined
  let schedules: ScheduleTable | undefined
  let meta: MetaTable | undefined
  let outside: OutsideChanges | undefined
  let policy: PolicyTable | undefined
  let triage: TriageTable | undefined
  let campaigns: CampaignTable | undefined
  const countsMemo = new Map<string, { counts: TenantCounts; syncedAt: number; from: number; until: number }>()

  function prepare(d: Database) {
    return {
      existing: d.prepare<[string], { rowid: number; id: string; json: string; listed: number; revoked: number }>(
        'SELECT rowid, id, json, listed, revoked FROM keys WHERE tenant = ?'
      ),
      insert: d.prepare(
        `INSERT INTO keys (tenant, id, name, key_preview, is_active, revoked, created_ms, expires_ms, last_used_ms, listed, first_seen, json)
         VALUES (@tenant, @id, @name, @key_preview, @is_active, @revoked, @created_ms, @expires_ms, @last_used_ms, 1, @now, @json)`
      ),
      update: d.prepare(
        `UPDATE keys SET name = @name, key_preview = @key_preview, is_active = @is_active, revoked = @revoked, created_ms = @created_ms,
           expires_ms = @expires_ms, last_used_ms = @last_used_ms, listed = 1, json = @json WHERE rowid = @rowid`
      ),
      relist: d.prepare('UPDATE keys SET listed = 1 WHERE rowid = ?'),
      unlist: d.prepare('UPDATE keys SET listed = 0 WHERE rowid = ?'),
      dropScopes: d.prepare('DELETE FROM key_scopes WHERE key_rowid = ?'),
      addScope: d.prepare('INSERT OR IGNORE INTO key_scopes (key_rowid, scope) VALUES (?, ?)'),
      synced: d.prepare(
        'INSERT INTO tenant_sync (tenant, synced_at, listed) VALUES (?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET synced_at = excluded.synced_at, listed = excluded.listed'
      ),
      syncedAt: d.prepare<[string], { synced_at: number }>('SELECT synced_at FROM tenant_sync WHERE tenant = ?'),
      // In keys_newest_first's order, so no sort of the tenant's rows and their JSON (see head).
      listed: d.prepare<[string], { json: string }>(
        'SELECT json FROM keys INDEXED BY keys_newest_first WHERE tenant = ? AND listed = 1 AND revoked IN (0, 1) ORDER BY created_ms DESC, rowid'
      ),
      // `listed`'s first rows: the same ORDER BY, so the same rows in the same order (ties included),
      // read off keys_newest_first without sorting the tenant's other rows. `revoked IN (0, 1)` is
      // always true; it names the index's condition (migrations/newest-first.ts says why).
      head: d.prepare<[string, number], { json: string }>(
        `SELECT json FROM keys INDEXED BY keys_newest_first WHERE tenant = ? AND listed = 1 AND revoked IN (0, 1)
         ORDER BY created_ms DESC, rowid LIMIT ?`
      ),
      counts: d.prepare<{ tenant: string; now: number; soon: number }, { status: KeyStatus; n: number }>(
        `SELECT CASE
             WHEN revoked = 1 THEN 'revoked'
             WHEN expires_ms IS NOT NULL AND expires_ms <= @now THEN 'expired'
             WHEN expires_ms IS NOT NULL AND expires_ms <= @soon THEN 'expiring'
             WHEN is_active = 0 THEN 'revoked'
             ELSE 'active' END AS status, count(*) AS n
         FROM keys INDEXED BY keys_by_status WHERE tenant = @tenant AND listed = 1 GROUP BY status`
      ),
      /** The next moment a live key of the tenant changes status (expires, or comes within 7 days of it). */
      // Both ends may be NULL (no such key); SQLite's two-argument min() would then be NULL too.
      nextBoundary: d.prepare<{ tenant: string; now: number; soon: number }, { expires: number | null; nears: number | null }>(
        `SELECT
           (SELECT min(expires_ms) FROM keys WHERE tenant = @tenant AND listed = 1 AND revoked = 0 AND expires_ms > @now) AS expires,
           (SELECT min(expires_ms) FROM keys WHERE tenant = @tenant AND listed = 1 AND revoked = 0 AND expires_ms > @soon) - ${EXPIRING_WITHIN_MS} AS nears`
      ),
      syncedTenants: d.prepare<[], { tenant: string; synced_at: number }>('SELECT tenant, synced_at FROM tenant_sync'),
      // Two indexed lookups: an OR across both columns would scan the table.
      exact: d.prepare<[string, string, number], { rowid: number }>(
        `SELECT rowid FROM keys WHERE id = ? COLLATE NOCASE AND listed = 1
         UNION SELECT rowid FROM keys WHERE key_preview = ? COLLATE NOCASE AND listed = 1 LIMIT ?`
      ),
      row: d.prepare<[number], { tenant: string; json: string }>('SELECT tenant, json FROM keys WHERE rowid = ?'),
      windows: d.prepare<[string], { json: string }>('SELECT json FROM ratelimit_windows WHERE tenant = ? ORDER BY reset_at'),
      putWindow: d.prepare('INSERT OR REPLACE INTO ratelimit_windows (tenant, reset_at, json) VALUES (?, ?, ?)'),
      pruneWindows: d.prepare('DELETE FROM ratelimit_windows WHERE tenant = ? AND reset_at < ?'),
      putAudit: d.prepare('INSERT OR REPLACE INTO audit_pages (tenant, synced_at, json) VALUES (?, ?, ?)'),
      audit: d.prepare<[string], { synced_at: number; json: string }>('SELECT synced_at, json FROM audit_pages WHERE tenant = ?'),
      rotations: d.prepare<[string], { tenant: string; old_key_id: string; new_key_id: string; rotated_at: number }>(
        'SELECT tenant, old_key_id, new_key_id, rotated_at FROM rotations WHERE tenant = ? ORDER BY rotated_at'
      ),
      addRotation: d.prepare('INSERT OR REPLACE INTO rotations (tenant, old_key_id, new_key_id, rotated_at) VALUES (?, ?, ?, ?)'),
      resolveRotation: d.prepare('DELETE FROM rotations WHERE tenant = ? AND old_key_id = ?'),
      unknownWrites: d.prepare<
        [string],
        { seq: number; kind: 'revoke' | 'create'; key_id: string | null; name: string; at: number; journal_seq: number | null }
      >('SELECT seq, kind, key_id, name, at, journal_seq FROM unknown_writes WHERE tenant = ? ORDER BY seq'),
      addUnknown: d.prepare('INSERT INTO unknown_writes (tenant, kind, key_id, name, at, journal_seq) VALUES (?, ?, ?, ?, ?, ?)'),
      keyById: d.prepare<[string, string], { json: string }>('SELECT json FROM keys WHERE tenant = ? AND id = ?'),
      dropUnknown: d.prepare('DELETE FROM unknown_writes WHERE seq = ?'),
      keyRow: d.prepare<[string, string], { rowid: number; json: string; listed: number }>(
        'SELECT rowid, json, listed FROM keys WHERE tenant = ? AND id = ?'
      ),
      // The radar's kept counts hold only while the tenant's keys are unchanged (migrations/radar-counts.ts).
      dropRadarCounts: d.prepare('DELETE FROM radar_counts WHERE tenant = ?')
    }
  }

  async function open(force = false): Promise<Database> {
    if (db) return db
    // A refused file stays refused until the operator acts (Retry or a new store): not retried on every call.
    if (unavailable instanceof StoreRefusedError && !force) throw unavailable
    opening ??= (async () => {
      let key: Buffer
      try {
        key = await opts.dataKey()
      } catch (err) {
        // Locked or missing keychain: stay closed. Nothing is ever written without the key.
        unavailable = keyUnavailable(err)
        state = 'unavailable'
        throw unavailable
      }
      try {
        db = openEncryptedDatabase(opts.path, key)
      } catch (err) {
        if (err instanceof StoreRefusedError) {
          unavailable = err
          state = 'unavailable'
          opts.log.warn(`fleet store: ${err.message}`)
        }
        throw err
      }
      q = prepare(db)
      meta = createMetaTable(db)
      journal = createJournalTable(db, meta)
      schedules = createScheduleTable(db)
      outside = createOutsideChanges(db)
      policy = createPolicyTable(db, opts.log)
      triage = createTriageTable(db)
      campaigns = createCampaignTable(db)
      state = 'open'
      unavailable = undefined
      if (opts.afterOpen) await opts.afterOpen(store).catch((err) => opts.log.warn('fleet store: checks after open failed', err))
      return db
    })().finally(() => {
      opening = undefined
    })
    return opening
  }

  /** The prepared statements, opening the store first (throws KEYCHAIN_UNAVAILABLE when it cannot). */
  async function stmts() {
    await open()
    return q!
  }

  function rowParams(tenant: string, k: ApiKey, json: string) {
    return {
      tenant,
      id: k.id,
      name: k.name,
      key_preview: k.key_preview,
      is_active: k.is_active ? 1 : 0,
      revoked: isRevoked(k) ? 1 : 0,
      created_ms: ms(k.created_at),
      expires_ms: ms(k.expires_at),
      last_used_ms: ms(k.last_used_at),
      json
    }
  }

  function setScopes(s: NonNullable<typeof q>, rowid: number | bigint, scopes: readonly string[]) {
    s.dropScopes.run(rowid)
    for (const scope of scopes) s.addScope.run(rowid, scope)
  }

  /**
   * One tenant's keys per status. They only change when it syncs or when the clock passes one of
   * its keys' expiry boundaries, so each is kept until then and recounted from a covering index after.
   */
  function countsOf(s: NonNullable<typeof q>, tenant: string, syncedAt: number, now: number): TenantCounts {
    const memo = countsMemo.get(tenant)
    if (memo && memo.syncedAt === syncedAt && memo.from <= now && now < memo.until) return memo.counts
    const soon = now + EXPIRING_WITHIN_MS
    const counts: TenantCounts = { tenant, syncedAt, active: 0, expiring: 0, expired: 0, revoked: 0 }
    for (const r of s.counts.all({ tenant, now, soon })) counts[r.status] = r.n
    const next = s.nextBoundary.get({ tenant, now, soon })
    const until = Math.min(next?.expires ?? Infinity, next?.nears ?? Infinity)
    countsMemo.set(tenant, { counts, syncedAt, from: now, until })
    return counts
  }

  async function journalTable(): Promise<JournalTable> {
    await open()
    return journal!
  }
  async function scheduleTable(): Promise<ScheduleTable> {
    await open()
    return schedules!
  }
  /** Runs a write that decides something (a schedule set or cancelled) as an anchored write: counted, then reported. */
  async function anchored<T>(write: () => T): Promise<T> {
    await open()
    const out = db!.transaction(() => {
      const r = write()
      if (r) meta!.bump()
      return r
    })()
    if (out) opts.onAnchor?.(meta!.mark())
    return out
  }

  const parseKeys = (rows: { json: string }[]): ApiKey[] => rows.map((r) => JSON.parse(r.json) as ApiKey)

  const radar = createRadarStore(() => open(), opts.log)
  const store = {
    state: () => state,
    /** Why the store is closed (a locked keychain), for the UI's sentence and Retry. */
    unavailableReason: () => unavailable?.toAppError(),
    /** Why the store refuses its file (the file is kept as it is), or null. */
    problem: () => (unavailable instanceof StoreRefusedError ? unavailable.problem : null),
    warnings: () => [...warnings],
    /** Opens now (start-up, or Retry after unlocking the keychain); resolves false when it cannot. */
    open: () =>
      open(true).then(
        () => true,
        () => false
      ),

    /**
     * Makes the list in the fleet store of `tenant` equal to a complete fresh list, in one transaction:
     * changed keys are rewritten, new ones added, vanished ones marked (not deleted). Unchanged
     * rows are not touched, so a sync with 1% changes writes 1% of the rows. A crash mid-way
     * leaves the previous list as it was (SQLite rolls the transaction back on the next open).
     * The same transaction records keys created or revoked outside KeyDesk since the previous
     * sync (store/outside-changes.ts).
     */
    async syncKeys(tenant: string, keys: readonly ApiKey[], syncedAt: number, onRow?: (i: number) => void): Promise<SyncResult> {
      const s = await stmts()
      countsMemo.delete(tenant)
      const before = new Map(s.existing.all(tenant).map((r) => [r.id, r]))
      const firstSync = !s.syncedAt.get(tenant)
      const result: SyncResult = { added: 0, changed: 0, vanished: 0, unchanged: 0 }
      db!.transaction(() => {
        // Against the list as the store held it, before this sync's rows are written. In a
        // savepoint of its own: finding changes made outside KeyDesk never costs the sync itself.
        try {
          db!.transaction(() => outside!.detect(tenant, before, keys, syncedAt, firstSync))()
        } catch (err) {
          opts.log.warn('fleet store: changes made outside KeyDesk not checked', err)
        }
        const seen = new Set<string>()
        keys.forEach((k, i) => {
          onRow?.(i)
          if (seen.has(k.id)) return
          seen.add(k.id)
          const json = JSON.stringify(k)
          const prev = before.get(k.id)
          if (!prev) {
            const { lastInsertRowid } = s.insert.run({ ...rowParams(tenant, k, json), now: syncedAt })
            setScopes(s, lastInsertRowid, k.scopes)
            result.added++
          } else if (prev.json !== json) {
            s.update.run({ ...rowParams(tenant, k, json), rowid: prev.rowid })
            setScopes(s, prev.rowid, k.scopes)
            result.changed++
          } else if (prev.listed === 0) {
            s.relist.run(prev.rowid)
            result.added++
          } else {
            result.unchanged++
          }
        })
        for (const [id, row] of before) {
          if (row.listed === 1 && !seen.has(id)) {
            s.unlist.run(row.rowid)
            result.vanished++
          }
        }
        s.synced.run(tenant, syncedAt, seen.size)
      })()
      // A big sync grew the WAL past what SQLite's own checkpoints keep: back to empty now.
      if (result.added + result.changed + result.vanished >= CHECKPOINT_AFTER_ROWS) db!.pragma('wal_checkpoint(TRUNCATE)')
      return result
    },

    /** The tenant's last complete list, or null when it was never synced. */
    async keysOf(tenant: string): Promise<StoreList | null> {
      const s = await stmts()
      const synced = s.syncedAt.get(tenant)
      if (!synced) return null
      return { keys: parseKeys(s.listed.all(tenant)), syncedAt: synced.synced_at }
    },

    /**
     * The first `limit` rows of keysOf() (the keys view's default order, newest first, which is
     * the order keysOf() reads), with the list's size and its keys per status at `now`: what a
     * cold switch paints before the whole list has crossed to the renderer. Null when never synced.
     */
    async headOf(tenant: string, limit: number, now: number): Promise<StoreHead | null> {
      const s = await stmts()
      const synced = s.syncedAt.get(tenant)
      if (!synced) return null
      const c = countsOf(s, tenant, synced.synced_at, now)
      const counts = { active: c.active, expiring: c.expiring, expired: c.expired, revoked: c.revoked }
      const total = c.active + c.expiring + c.expired + c.revoked
      return { keys: parseKeys(s.head.all(tenant, limit)), total, counts, syncedAt: synced.synced_at }
    },

    /**
     * Substring search over every tenant's listed keys (name, preview, id), optionally limited to
     * keys holding a scope. The text is literal: FTS syntax in it is searched for, never parsed.
     * Exact id/preview matches come first; `truncated` says there were more than `limit`.
     */
    async search(input: { text?: string; scope?: string; limit: number }): Promise<{ hits: StoredHit[]; truncated: boolean }> {
      const s = await stmts()
      const syncedAt = new Map(s.syncedTenants.all().map((r) => [r.tenant, r.synced_at]))
      const plan = planSearch(input.text ?? '', input.scope)
      const found: { rowid: number; exact: boolean }[] = []
      const taken = new Set<number>()
      if (plan.exactText && !input.scope) {
        for (const { rowid } of s.exact.all(plan.exactText, plan.exactText, input.limit + 1)) {
          taken.add(rowid)
          found.push({ rowid, exact: true })
        }
      }
      const more = db!.prepare<unknown[], { rowid: number }>(plan.sql).all(...plan.params, input.limit + 1)
      for (const { rowid } of more) {
        if (taken.has(rowid)) continue
        taken.add(rowid)
        found.push({ rowid, exact: false })
      }
      const truncated = found.length > input.limit
      return {
        hits: found.slice(0, input.limit).map(({ rowid, exact }) => {
          const r = s.row.get(rowid)!
          return { tenant: r.tenant, key: JSON.parse(r.json) as ApiKey, syncedAt: syncedAt.get(r.tenant) ?? 0, exact }
        }),
        truncated
      }
    },

    /** Keys per status for every synced tenant, straight from the store (no list is loaded; countsOf). */
    async counts(now: number): Promise<TenantCounts[]> {
      const s = await stmts()
      return s.syncedTenants.all().map(({ tenant, synced_at }) => countsOf(s, tenant, synced_at, now))
    },

    async saveHistory(tenant: string, windows: readonly RateLimitWindow[], keepAfter: number) {
      const s = await stmts()
      db!.transaction(() => {
        for (const w of windows) s.putWindow.run(tenant, w.resetAt, JSON.stringify(w))
        s.pruneWindows.run(tenant, keepAfter)
      })()
    },
    async history(tenant: string): Promise<RateLimitWindow[]> {
      const s = await stmts()
      return s.windows
        .all(tenant)
        .map((r) => RateLimitWindowSchema.safeParse(JSON.parse(r.json)))
        .flatMap((r) => (r.success ? [r.data] : []))
    },

    /** The last first page of the tenant's audit log, for the detail panel offline. */
    async saveAudit(tenant: string, page: AuditPage) {
      const s = await stmts()
      s.putAudit.run(tenant, page.syncedAt, JSON.stringify({ events: page.events, pagination: page.pagination }))
    },
    async loadAudit(tenant: string): Promise<AuditPage | null> {
      const s = await stmts()
      const row = s.audit.get(tenant)
      if (!row) return null
      const parsed = StoredAuditSchema.safeParse(JSON.parse(row.json))
      return parsed.success ? { syncedAt: row.synced_at, ...parsed.data } : null
    },

    /** Rotations whose old key was kept "for later": the reminder list. */
    rotations: {
      async list(tenant: string): Promise<Rotation[]> {
        const s = await stmts()
        return s.rotations.all(tenant).map((r) => ({ tenant: r.tenant, oldKeyId: r.old_key_id, newKeyId: r.new_key_id, rotatedAt: r.rotated_at }))
      },
      async add(r: Rotation) {
        const s = await stmts()
        s.addRotation.run(r.tenant, r.oldKeyId, r.newKeyId, r.rotatedAt)
      },
      /** The old keys were revoked: their reminders are done. */
      async resolve(tenant: string, oldKeyIds: readonly string[]) {
        const s = await stmts()
        db!.transaction(() => {
          for (const id of oldKeyIds) s.resolveRotation.run(tenant, id)
        })()
      }
    },

    /**
     * Writes whose outcome is unknown, kept until a fresh list settles them (a restart in
     * between does not lose them).
     */
    unknownWrites: {
      async add(tenant: string, w: UnknownWrite) {
        const s = await stmts()
        s.addUnknown.run(tenant, w.kind, w.keyId ?? null, w.name, w.at, w.journalSeq ?? null)
      },
      async list(tenant: string): Promise<UnknownWrite[]> {
        const s = await stmts()
        return s.unknownWrites
          .all(tenant)
          .map((r) => ({ kind: r.kind, keyId: r.key_id ?? undefined, name: r.name, at: r.at, journalSeq: r.journal_seq ?? undefined }))
      },
      /** Checks the tenant's unknown writes against a complete fresh list; one sentence each. */
      async settle(tenant: string, keys: readonly ApiKey[]): Promise<string[]> {
        return (await store.unknownWrites.settleDetailed(tenant, keys)).map((w) => w.sentence)
      },
      /** settle() with what happened to each write, for the journal's settlement entries. */
      async settleDetailed(tenant: string, keys: readonly ApiKey[]): Promise<SettledWrite[]> {
        const s = await stmts()
        const pending = s.unknownWrites.all(tenant)
        if (!pending.length) return []
        const byId = new Map(keys.map((k) => [k.id, k]))
        const settled = pending.map((w): SettledWrite => {
          const base = { kind: w.kind, keyId: w.key_id ?? undefined, name: w.name, at: w.at, journalSeq: w.journal_seq ?? undefined }
          if (w.kind === 'revoke') {
            const applied = Boolean(byId.get(w.key_id ?? '')?.revoked_at)
            return {
              ...base,
              applied,
              sentence: applied ? `Revocation of "${w.name}" was applied.` : `Revocation of "${w.name}" was NOT applied; revoke it again.`
            }
          }
          const made = keys.find((x) => x.name === w.name && Date.parse(x.created_at) >= w.at - 60_000)
          return {
            ...base,
            keyId: made?.id,
            applied: Boolean(made),
            sentence: made
              ? `"${w.name}" was created, but its key never reached KeyDesk and was never shown: revoke it and create a new one.`
              : `"${w.name}" was not created.`
          }
        })
        db!.transaction(() => {
          for (const w of pending) s.dropUnknown.run(w.seq)
        })()
        return settled
      }
    },

    /** A key as last listed (also a key the list no longer has), e.g. for its name and preview in the journal. */
    async keyById(tenant: string, id: string): Promise<ApiKey | null> {
      const row = (await stmts()).keyById.get(tenant, id)
      return row ? (JSON.parse(row.json) as ApiKey) : null
    },

    /** The operator journal (store/journal-table.ts): append, list, verify. No edit, no delete. */
    journal: {
      append: async (...a: Parameters<JournalTable['append']>) => {
        const entry = (await journalTable()).append(...a)
        opts.onAnchor?.(meta!.mark())
        return entry
      },
      list: async (...a: Parameters<JournalTable['list']>) => (await journalTable()).list(...a),
      verify: async () => (await journalTable()).verify(),
      verifyPart: async (...a: Parameters<JournalTable['verifyPart']>) => (await journalTable()).verifyPart(...a)
    },

    /** Scheduled revokes (store/schedule-table.ts); each call is one statement or transaction. */
    schedules: {
      get: async (...a: Parameters<ScheduleTable['get']>) => (await scheduleTable()).get(...a),
      live: async (...a: Parameters<ScheduleTable['live']>) => (await scheduleTable()).live(...a),
      put: async (...a: Parameters<ScheduleTable['put']>) => anchored(() => schedules!.put(...a)),
      list: async (...a: Parameters<ScheduleTable['list']>) => (await scheduleTable()).list(...a),
      due: async (...a: Parameters<ScheduleTable['due']>) => (await scheduleTable()).due(...a),
      claim: async (...a: Parameters<ScheduleTable['claim']>) => (await scheduleTable()).claim(...a),
      renew: async (...a: Parameters<ScheduleTable['renew']>) => (await scheduleTable()).renew(...a),
      finish: async (...a: Parameters<ScheduleTable['finish']>) => (await scheduleTable()).finish(...a),
      retryLater: async (...a: Parameters<ScheduleTable['retryLater']>) => (await scheduleTable()).retryLater(...a),
      release: async (...a: Parameters<ScheduleTable['release']>) => (await scheduleTable()).release(...a),
      cancel: async (...a: Parameters<ScheduleTable['cancel']>) => anchored(() => schedules!.cancel(...a)),
      markAway: async (...a: Parameters<ScheduleTable['markAway']>) => (await scheduleTable()).markAway(...a),
      recoverExpired: async (...a: Parameters<ScheduleTable['recoverExpired']>) => (await scheduleTable()).recoverExpired(...a),
      awayReport: async () => (await scheduleTable()).awayReport(),
      dismissAway: async (...a: Parameters<ScheduleTable['dismissAway']>) => (await scheduleTable()).dismissAway(...a)
    },

    /**
     * Keys created or revoked outside KeyDesk (store/outside-changes.ts), found by syncKeys():
     * what one sync found (its notification), and the operator's acknowledgement.
     */
    outside: {
      foundAt: async (tenant: string, syncedAt: number) => (await stmts(), outside!.foundAt(tenant, syncedAt)),
      acknowledge: async (...a: Parameters<OutsideChanges['acknowledge']>) => (await stmts(), outside!.acknowledge(...a)),
      acknowledged: async (...a: Parameters<OutsideChanges['acknowledged']>) => (await stmts(), outside!.acknowledged(...a))
    },

    /**
     * The fleet policy and its waivers (store/policy-table.ts). Setting either is an anchored write:
     * a policy put back to an older, looser copy of the file shows as the store's incident.
     */
    policy: {
      get: async (): Promise<FleetPolicy> => (await open(), policy!.get()),
      put: async (p: FleetPolicy, at: number): Promise<void> => void (await anchored(() => policy!.put(p, at))),
      waivers: {
        put: async (w: Waiver): Promise<void> => void (await anchored(() => policy!.putWaiver(w))),
        list: async (tenant: string): Promise<Waiver[]> => (await open(), policy!.waivers(tenant))
      }
    },

    /**
     * Leak triage (store/triage-table.ts): the keyed fingerprint of a plaintext KeyDesk made, and
     * the two lookups of a pasted key, by fingerprint (exact) and by preview (candidates).
     */
    triage: {
      putFingerprint: async (tenant: string, keyId: string, fingerprint: string, at: number): Promise<void> =>
        void (await open(), triage!.put(tenant, keyId, fingerprint, at)),
      byFingerprints: async (...a: Parameters<TriageTable['byFingerprints']>) => (await open(), triage!.byFingerprints(...a)),
      byPreviews: async (...a: Parameters<TriageTable['byPreviews']>) => (await open(), triage!.byPreviews(...a))
    },

    /**
     * Rotation campaigns (store/campaign-table.ts). Starting, cancelling and each key's move to
     * revoking are anchored writes: an older copy of the file put back, which could make a
     * revoke run twice or a cancelled campaign run again, shows as the store's incident.
     */
    campaigns: {
      create: async (...a: Parameters<CampaignTable['create']>) => anchored(() => campaigns!.create(...a)),
      get: async (id: string) => (await open(), campaigns!.get(id)),
      list: async (limit: number) => (await open(), campaigns!.list(limit)),
      keys: async (campaignId: string) => (await open(), campaigns!.keys(campaignId)),
      key: async (id: number) => (await open(), campaigns!.key(id)),
      active: async (tenant?: string) => (await open(), campaigns!.active(tenant)),
      tenants: async () => (await open(), campaigns!.tenants()),
      replacementsOf: async (tenant: string) => (await open(), campaigns!.replacementsOf(tenant)),
      transition: async (...a: Parameters<CampaignTable['transition']>) => {
        await open()
        return a[2].state === 'revoking' || a[2].state === 'revoked' ? anchored(() => campaigns!.transition(...a)) : campaigns!.transition(...a)
      },
      end: async (...a: Parameters<CampaignTable['end']>) => (await open(), campaigns!.end(...a)),
      cancel: async (...a: Parameters<CampaignTable['cancel']>) => anchored(() => campaigns!.cancel(...a)),
      moveDeadline: async (...a: Parameters<CampaignTable['moveDeadline']>) => (await open(), campaigns!.moveDeadline(...a))
    },

    /** Where the file stands, for the keychain's anchor at open (store/trust.ts): its mark and its journal entry at the anchored seq. */
    anchor: {
      mark: async (anchoredSeq: number): Promise<OpenedMark> => {
        await open()
        return { mark: meta!.mark(), hashAtAnchor: meta!.hashAt(anchoredSeq) }
      }
    },

    /** The one-time import of the files KeyDesk kept before the store (import-legacy.ts), recorded here. */
    legacy: {
      importedAt: async () => (await open(), meta!.legacyImportedAt()),
      markImported: async (at: number) => (await open(), meta!.markLegacyImported(at))
    },

    /** The radar's questions (store/radar.ts): counts, a category's keys, notices, still presented. */
    radar,

    /** The credential report, built (and saved, given a path) on the store's side (report-build.ts). */
    report: (req: ReportRequest) => buildReport({ radar, keysOf: (tenant) => store.keysOf(tenant) }, req),

    /**
     * Everything stored for a tenant, in one transaction (the tenant was removed). The journal
     * stays. The tables are found, not listed: every table with a `tenant` column, so a table a
     * later migration adds is purged too (store/schema.ts).
     */
    async removeTenant(tenant: string) {
      await open()
      countsMemo.delete(tenant)
      const tables = db!
        .prepare<[], string>(
          `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c ON c.name = 'tenant'
           WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name`
        )
        .pluck()
        .all()
        .filter((t) => !KEPT_AFTER_REMOVAL.has(t))
      db!.transaction(() => {
        for (const table of tables) db!.prepare(`DELETE FROM "${table}" WHERE tenant = ?`).run(tenant)
      })()
    },

    /** For tests and benches of the in-process store only: raw statements on the open database. */
    async database(): Promise<Database> {
      return open()
    },

    async close() {
      q = undefined
      journal = undefined
      schedules = undefined
      policy = undefined
      triage = undefined
      campaigns = undefined
      meta = undefined
      outside = undefined
      db?.close()
      db = undefined
      state = 'closed'
    },

    /**
     * One key as MeshQu just answered it (a create, a revoke), written at once so every question
     * the store answers (a tenant's list, search all, counts, the radar) says so without the
     * tenant's whole list being fetched again. Upserts the row and its scopes as syncKeys() would
     * (the FTS index follows by trigger); the tenant's sync time is left alone, since no full list
     * was read, so its kept counts (radar_counts, countsMemo) are dropped here instead.
     */
    async putKey(tenant: string, key: ApiKey): Promise<void> {
      const s = await stmts()
      const json = JSON.stringify(key)
      db!.transaction(() => {
        const prev = s.keyRow.get(tenant, key.id)
        if (!prev) {
          const { lastInsertRowid } = s.insert.run({ ...rowParams(tenant, key, json), now: opts.now() })
          setScopes(s, lastInsertRowid, key.scopes)
        } else if (prev.json !== json || prev.listed === 0) {
          s.update.run({ ...rowParams(tenant, key, json), rowid: prev.rowid })
          setScopes(s, prev.rowid, key.scopes)
        }
        s.dropRadarCounts.run(tenant)
        // No tenant_sync write here (no full list was read), so the key's queued search terms are
        // indexed now: search all finds it as soon as the write returns.
        db!.exec(FILL_PENDING_SQL)
      })()
      countsMemo.delete(tenant)
    },

    /**
     * keysOf()'s list as one JSON text, the stored rows joined in the same order: what
     * keys.fromStore sends, so main never parses 10,000 keys only to serialize them again. Every
     * row is a key parsed with ApiKeySchema on its way in (contract.ts, keys.fromStore).
     */
    async keysJsonOf(tenant: string): Promise<{ keysJson: string; syncedAt: number } | null> {
      const s = await stmts()
      const synced = s.syncedAt.get(tenant)
      if (!synced) return null
      const rows = s.listed.all(tenant).map((r) => r.json)
      return { keysJson: `[${rows.join(',')}]`, syncedAt: synced.synced_at }
    }
  }
  return store
}

/** The store as it runs in one thread: the worker's engine, and unit tests' in-process store. */
export type InProcessFleetStore = ReturnType<typeof createFleetStore>

/**
 * The one store interface main uses, whoever runs it: the worker's client (store/worker/) in the
 * app, or the in-process store in unit tests. No raw database and no synchronous table crosses it.
 */
export type FleetStore = Omit<InProcessFleetStore, 'database'>
export type { Statement }
