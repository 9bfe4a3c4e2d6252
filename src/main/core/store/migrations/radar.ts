import type { Database } from 'better-sqlite3'

const PRIVILEGED = `('api-keys:admin', 'audit:admin')`

/**
 * The fleet radar. Appended to MIGRATIONS in schema.ts; kept in its own module
 * so that another migration appended beside it is a one-line merge.
 *
 * keys.privileged  1 when the key holds api-keys:admin or audit:admin. Kept by triggers on
 *                  key_scopes (fleet-store.ts rewrites a key's scopes as delete + insert), so a
 *                  radar count never joins the scopes table row by row.
 * keys_by_use      live keys by last use and creation: "unused" and "never used" are range counts.
 * keys_privileged  live privileged keys: a handful per tenant, with the preview for "own admin key".
 * keys_no_expiry   live keys without expiry: a count reads only the tenant column.
 * expiry_notices   one row per key and threshold already notified (30, 7, 1 days): never twice.
 * presented_keys   the last "still presented" answer per tenant, served offline with its age.
 */
export function radarMigration(db: Database): void {
  db.exec(`
    ALTER TABLE keys ADD COLUMN privileged INTEGER NOT NULL DEFAULT 0;
    UPDATE keys SET privileged = 1 WHERE rowid IN (SELECT key_rowid FROM key_scopes WHERE scope IN ${PRIVILEGED});
    CREATE TRIGGER key_scopes_privileged_insert AFTER INSERT ON key_scopes WHEN new.scope IN ${PRIVILEGED} BEGIN
      UPDATE keys SET privileged = 1 WHERE rowid = new.key_rowid;
    END;
    CREATE TRIGGER key_scopes_privileged_delete AFTER DELETE ON key_scopes WHEN old.scope IN ${PRIVILEGED} BEGIN
      UPDATE keys SET privileged = EXISTS (SELECT 1 FROM key_scopes WHERE key_rowid = old.key_rowid AND scope IN ${PRIVILEGED})
        WHERE rowid = old.key_rowid;
    END;

    CREATE INDEX keys_by_use ON keys (tenant, last_used_ms, created_ms, expires_ms) WHERE listed = 1 AND revoked = 0;
    CREATE INDEX keys_privileged ON keys (tenant, expires_ms, key_preview) WHERE listed = 1 AND revoked = 0 AND privileged = 1;
    CREATE INDEX keys_no_expiry ON keys (tenant) WHERE listed = 1 AND revoked = 0 AND expires_ms IS NULL;

    CREATE TABLE expiry_notices (
      tenant TEXT NOT NULL,
      key_id TEXT NOT NULL,
      threshold_days INTEGER NOT NULL,
      notified_at INTEGER NOT NULL,
      PRIMARY KEY (tenant, key_id, threshold_days)
    ) WITHOUT ROWID;

    CREATE TABLE presented_keys (
      tenant TEXT PRIMARY KEY,
      checked_at INTEGER NOT NULL,
      json TEXT NOT NULL
    );
  `)
}
