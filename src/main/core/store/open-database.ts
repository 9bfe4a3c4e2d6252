import { chmodSync, existsSync, mkdirSync, renameSync } from 'node:fs'
import { dirname } from 'node:path'
// better-sqlite3's API with SQLCipher-compatible encryption; a native module, externalized by the
// build like keytar (electron-builder rebuilds it for Electron's ABI).
import Database from 'better-sqlite3-multiple-ciphers'
import type { Database as DatabaseType } from 'better-sqlite3'
import { migrate } from './schema'
import { CONTAINS_FUNCTION, contains } from './search-plan'

/** The WAL's size at rest (see openAndMigrate). */
export const WAL_LIMIT_BYTES = 4 * 1024 * 1024

/** The SQLite side files that belong to one database: all are set aside together. */
const SIDE_FILES = ['', '-wal', '-shm']

export interface Opened {
  db: DatabaseType
  /** Sentences to show once: a file that could not be opened and was set aside. */
  warnings: string[]
}

/**
 * Opens (or creates) the encrypted database with a raw 32-byte key. The key only ever lives in
 * memory: SQLCipher derives nothing from a passphrase because the key is already random. A file
 * the key does not open (another keychain's key, damage, a newer schema) is moved aside, never
 * deleted, and a fresh store is started; the next sync fills it again.
 */
export function openEncryptedDatabase(path: string, key: Buffer, now: () => number): Opened {
  if (key.length !== 32) throw new Error('the store key must be 32 bytes')
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const warnings: string[] = []
  try {
    return { db: openAndMigrate(path, key), warnings }
  } catch (err) {
    if (!existsSync(path)) throw err
    const aside = `${path}.unreadable-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`
    for (const suffix of SIDE_FILES) {
      if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix)
    }
    warnings.push(
      `The fleet store could not be opened (${describeOpenFailure(err)}) and was set aside as ${aside}; it is rebuilt as each tenant syncs.`
    )
    return { db: openAndMigrate(path, key), warnings }
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

function describeOpenFailure(err: unknown): string {
  const code = (err as { code?: string }).code
  if (code === 'SQLITE_NOTADB') return 'wrong key or not a KeyDesk store'
  if (code === 'SQLITE_CORRUPT') return 'the file is damaged'
  if (err instanceof Error && err.name === 'StoreFromTheFutureError') return 'written by a newer KeyDesk'
  return code ?? 'unknown reason'
}
