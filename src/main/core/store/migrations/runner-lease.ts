import type { Database } from 'better-sqlite3'

/**
 * What the scheduled runner needs to trust a row (jobs/scheduled-revokes.ts):
 *
 * owner, lease_until  who runs a `running` row, and until when (ms) that claim holds. Two KeyDesk
 *                     processes may share a data dir (the app and `start:web`): one recovers the
 *                     other's rows only once the lease has run out, so a revoke in flight is not
 *                     sent twice. Rows left running before this column read as expired.
 * key_created_at      the key's `created_at` when it was scheduled, compared (with the preview)
 *                     with what MeshQu answers for the id before the revoke: an id given to
 *                     another key is not revoked. Null for rows scheduled before, or for a key the
 *                     store did not hold; those compare the preview only.
 */
export function runnerLeaseMigration(db: Database): void {
  db.exec(`
    ALTER TABLE scheduled_revokes ADD COLUMN owner TEXT;
    ALTER TABLE scheduled_revokes ADD COLUMN lease_until INTEGER;
    ALTER TABLE scheduled_revokes ADD COLUMN key_created_at TEXT;
  `)
}
