import type { Database } from 'better-sqlite3'

/**
 * The keys view's default order as an index (issue 11: a cold switch paints its first screenful
 * from the store). Appended to MIGRATIONS in schema.ts.
 *
 * keys_newest_first  a tenant's listed keys newest first. SQLite appends the rowid to every index
 *                    entry in ascending order, so a forward scan yields `created_ms DESC, rowid`:
 *                    exactly the stored list's order (fleet-store.ts, `listed`), whose ties the
 *                    view's stable sort keeps. The first rows are then read straight off the index,
 *                    instead of sorting all 10,000 rows of the tenant (and decrypting their JSON)
 *                    to keep 100.
 */
export function newestFirstMigration(db: Database): void {
  db.exec('CREATE INDEX keys_newest_first ON keys (tenant, listed, created_ms DESC)')
}
