import type { Database } from 'better-sqlite3'

/** Where the file stands, compared with the keychain's anchor (store/trust.ts) at open and after each anchored write. */
export interface StoreMark {
  storeId: string
  generation: number
  /** The journal's head: its newest entry (0 and null when empty). */
  seq: number
  hash: string | null
}

/** The store_meta table (migrations/store-meta.ts): the file's identity, generation and one-time import record. */
export function createMetaTable(db: Database) {
  const get = db.prepare<[string], string>('SELECT value FROM store_meta WHERE name = ?').pluck()
  const put = db.prepare('INSERT OR REPLACE INTO store_meta (name, value) VALUES (?, ?)')
  const head = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1')
  const hashAt = db.prepare<[number], string>('SELECT hash FROM journal WHERE seq = ?').pluck()

  return {
    /** Counts one anchored write; call inside that write's transaction. */
    bump(): void {
      put.run('generation', String(Number(get.get('generation') ?? 0) + 1))
    },
    mark(): StoreMark {
      const h = head.get()
      return { storeId: get.get('store_id') ?? '', generation: Number(get.get('generation') ?? 0), seq: h?.seq ?? 0, hash: h?.hash ?? null }
    },
    /** The hash of the journal entry `seq`, or null when the file has none. */
    hashAt: (seq: number): string | null => hashAt.get(seq) ?? null,
    legacyImportedAt(): number | null {
      const v = get.get('legacy_import')
      return v === undefined ? null : Number(v)
    },
    markLegacyImported(at: number): void {
      put.run('legacy_import', String(at))
    }
  }
}

export type MetaTable = ReturnType<typeof createMetaTable>
