import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
// better-sqlite3's API with SQLCipher-compatible encryption; a native module, externalized by the
// build like keytar (electron-builder rebuilds it for Electron's ABI).
import Database from 'better-sqlite3-multiple-ciphers'
import type { Database as DatabaseType } from 'better-sqlite3'
import { migrate } from './schema'
import { CONTAINS_FUNCTION, contains } from './search-plan'
import { refused } from './refusal'

/** The WAL's size at rest (see openAndMigrate). */
export const WAL_LIMIT_BYTES = 4 * 1024 * 1024

/**
 * Opens (or creates) the encrypted database with a raw 32-byte key. The key only ever lives in
 * memory: SQLCipher derives nothing from a passphrase because the key is already random. A file
 * the key does not open (another keychain's key, damage) or one from a newer KeyDesk is refused
 * (StoreRefusedError) and left exactly as it is: replacing it with an empty store would drop its
 * journal and schedules without a trace. The operator chooses the way on (store.startNew).
 */
export function openEncryptedDatabase(path: string, key: Buffer): DatabaseType {
  if (key.length !== 32) throw new Error('the store key must be 32 bytes')
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const existed = existsSync(path)
  try {
    return openAndMigrate(path, key)
  } catch (err) {
    const problem = refusalOf(err)
    if (!existed || !problem) throw err
    throw refused(problem)
  }
}

function openAndMigrate(path: string, key: Buffer): DatabaseType {
  const db = new Database(path)
  try {
    db.pragma(`cipher = 'sqlcipher'`)
    db.pragma(`key = "x'${key.toString('hex')}'"`)
    // The first read proves the key: a wrong key or a damaged header fails here (SQLITE_NOTADB).
    db.prepare('SELECT count(*) FROM sqlite_master').get()
    db.pragma('journal_mode = WAL')
    // WAL + NORMAL: a power cut may lose the last transaction, never tear one.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    // Sorts, DISTINCT and UNION work in memory: a temp file would hold key data unencrypted.
    db.pragma('temp_store = MEMORY')
    // A sync or migration that wrote many rows leaves the WAL that large until it is reset;
    // once checkpointed, SQLite truncates it back to this (fleet-store.ts checkpoints big syncs).
    db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`)
    db.function(CONTAINS_FUNCTION, { deterministic: true }, contains)
    const { from, to } = migrate(db)
    if (from !== to) db.pragma('wal_checkpoint(TRUNCATE)')
    chmodSync(path, 0o600)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

function refusalOf(err: unknown): 'unreadable' | 'newer' | null {
  if (err instanceof Error && err.name === 'StoreFromTheFutureError') return 'newer'
  const code = (err as { code?: string }).code
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return 'unreadable'
  return null
}
