import type { Database } from 'better-sqlite3'

/**
 * The store's own record of itself. Appended to MIGRATIONS in schema.ts.
 *
 * store_meta  one row per name:
 *   store_id        random, made when the file is: tells this file from another (a new empty one
 *                   put in its place) when compared with the keychain's anchor (store/trust.ts).
 *   generation      counts the anchored writes (journal entries, schedules set or cancelled); the
 *                   anchor keeps the last one it saw, so an older copy of the file shows.
 *   legacy_import   when the one-time import of the pre-store files ran. A file that existed
 *                   before this record gets 0: its import ran under an older KeyDesk, and the
 *                   files it left behind are not to be read again.
 */
export function storeMetaMigration(db: Database, from: number): void {
  db.exec(`
    CREATE TABLE store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    INSERT INTO store_meta (name, value) VALUES ('store_id', lower(hex(randomblob(16)))), ('generation', '0');
  `)
  if (from > 0) db.prepare("INSERT INTO store_meta (name, value) VALUES ('legacy_import', '0')").run()
}
