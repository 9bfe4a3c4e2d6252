import type { Database } from 'better-sqlite3'

/**
 * The keys view's default order as an index (a cold switch paints its first screenful
 * from the store). Appended to MIGRATIONS in schema.ts.
 *
 * keys_newest_first  a tenant's listed keys newest first. SQLite appends the rowid to every index
 *                    entry in ascending order, so a forward scan yields `created_ms DESC, rowid`:
 *                    exactly the fleet store's order (fleet-store.ts, `listed`), whose ties the
 *                    view's stable sort keeps. The first rows are then read straight off the index
 *                    instead of sorting every row of the tenant (and decrypting its JSON) to keep 100.
 *
 * `revoked IN (0, 1)` holds for every row (revoked is 0 or 1): the index has every listed key. It
 * is there because SQLite uses a partial index only for a query that names its condition, so this
 * index is the head's alone. Without it the planner moved the radar's never-used count onto it
 * from a covering index and read every row: the radar's first count went from 73 to 412 ms (bench).
 */
export function newestFirstMigration(db: Database): void {
  db.exec('CREATE INDEX keys_newest_first ON keys (tenant, created_ms DESC) WHERE listed = 1 AND revoked IN (0, 1)')
}
