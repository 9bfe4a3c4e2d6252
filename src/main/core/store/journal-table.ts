import type { Database } from 'better-sqlite3'
import type { ErrorCode } from '../../../shared/errors'
import type { JournalAction, JournalEntry, JournalOutcome } from '../../../shared/journal'
import { chainHash, GENESIS_HASH, verifyChain, walkChain, wellFormed, type ChainCheck, type ChainWalk, type Chained } from '../journal/chain'
import type { MetaTable } from './meta-table'
import { whereClause } from './where'

export type NewJournalEntry = Omit<JournalEntry, 'seq' | 'hash'>

export interface JournalQuery {
  tenant?: string
  actions?: readonly JournalAction[]
  keyId?: string
  from?: number
  to?: number
  before?: number
  limit: number
}

interface Row {
  seq: number
  at: number
  tenant: string
  tenant_label: string
  action: JournalAction
  outcome: JournalOutcome
  error_code: ErrorCode | null
  key_id: string | null
  key_name: string | null
  key_preview: string | null
  reason: string | null
  detail: string | null
  job_id: string | null
  ref_seq: number | null
  prev_hash: string
  hash: string
}

const toEntry = (r: Row): JournalEntry & { prevHash: string } => ({
  seq: r.seq,
  at: r.at,
  tenantId: r.tenant,
  tenantLabel: r.tenant_label,
  action: r.action,
  outcome: r.outcome,
  errorCode: r.error_code,
  keyId: r.key_id,
  keyName: r.key_name,
  keyPreview: r.key_preview,
  reason: r.reason,
  detail: r.detail,
  jobId: r.job_id,
  refSeq: r.ref_seq,
  hash: r.hash,
  prevHash: r.prev_hash
})

/**
 * The journal table (migrations/journal.ts). Append-only by API: there is no update or delete
 * here, and entries are chained by hash so an edit made to the database by other means shows in
 * verify(). Appends run in an IMMEDIATE transaction so two KeyDesk processes sharing a data dir
 * (Electron and start:web) cannot both chain onto the same predecessor. Each append also counts
 * one store generation (meta-table.ts), in the same transaction, for the keychain's anchor.
 */
export function createJournalTable(db: Database, meta: MetaTable) {
  const head = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1')
  const insert = db.prepare(
    `INSERT INTO journal (seq, at, tenant, tenant_label, action, outcome, error_code, key_id, key_name, key_preview, reason, detail, job_id, ref_seq, prev_hash, hash)
     VALUES (@seq, @at, @tenantId, @tenantLabel, @action, @outcome, @errorCode, @keyId, @keyName, @keyPreview, @reason, @detail, @jobId, @refSeq, @prevHash, @hash)`
  )
  const all = db.prepare<[], Row>('SELECT * FROM journal ORDER BY seq')
  const part = db.prepare<[number, number], Row>('SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?')

  function where(q: Omit<JournalQuery, 'limit'>): { sql: string; params: unknown[] } {
    const w = whereClause()
    if (q.tenant !== undefined) w.add('tenant = ?', q.tenant)
    if (q.keyId !== undefined) w.add('key_id = ?', q.keyId)
    w.oneOf('action', q.actions)
    if (q.from !== undefined) w.add('at >= ?', q.from)
    if (q.to !== undefined) w.add('at < ?', q.to)
    if (q.before !== undefined) w.add('seq < ?', q.before)
    return w.build()
  }

  return {
    append(e: NewJournalEntry): JournalEntry {
      return db
        .transaction(() => {
          const last = head.get()
          const chained: Chained = wellFormed({ ...e, seq: (last?.seq ?? 0) + 1 })
          const prevHash = last?.hash ?? GENESIS_HASH
          const hash = chainHash(prevHash, chained)
          insert.run({ ...chained, prevHash, hash })
          meta.bump()
          return { ...chained, hash }
        })
        .immediate()
    },

    /** Newest first; `nextBefore` is the cursor for the next (older) page. */
    list(q: JournalQuery): { entries: JournalEntry[]; nextBefore: number | null } {
      const w = where(q)
      const rows = db.prepare<unknown[], Row>(`SELECT * FROM journal ${w.sql} ORDER BY seq DESC LIMIT ?`).all(...w.params, q.limit + 1)
      const entries = rows.slice(0, q.limit).map((r) => {
        const { prevHash: _, ...entry } = toEntry(r)
        return entry
      })
      return { entries, nextBefore: rows.length > q.limit ? entries[entries.length - 1]!.seq : null }
    },

    /**
     * The next `limit` entries after `afterSeq`, walked on from `walk`: one part of a long check,
     * so the store's thread answers other calls between parts.
     */
    verifyPart(afterSeq: number, walk: ChainWalk, limit: number): { walk: ChainWalk; lastSeq: number; done: boolean } {
      const rows = part.all(afterSeq, limit).map(toEntry)
      return { walk: walkChain(rows, walk), lastSeq: rows.length ? rows[rows.length - 1]!.seq : afterSeq, done: rows.length < limit }
    },

    verify(): ChainCheck {
      return verifyChain(
        (function* () {
          for (const r of all.iterate()) yield toEntry(r)
        })()
      )
    }
  }
}

export type JournalTable = ReturnType<typeof createJournalTable>
