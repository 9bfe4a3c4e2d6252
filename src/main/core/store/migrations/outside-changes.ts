import type { Database } from 'better-sqlite3'

/**
 * Changes made outside KeyDesk, found by comparing each sync with the one before and with the
 * journal (store/outside-changes.ts). Appended to MIGRATIONS in schema.ts.
 *
 * outside_changes  one row per (tenant, kind, key): a key that appeared (`created`) or was revoked
 *                  (`revoked`) since the previous sync with no journal entry of this KeyDesk.
 *                  `actor` is MeshQu's created_by / revoked_by (the id of the key that acted),
 *                  `actor_name` that key's name when the store held it; `changed_at` MeshQu's
 *                  created_at / revoked_at; `found_at` the sync that found it. An acknowledged row
 *                  keeps `acked_at` and the journal entry that recorded it (`ack_seq`), so it is
 *                  never raised again. Removing the tenant purges its rows (it has a tenant column).
 */
export function outsideChangesMigration(db: Database): void {
  db.exec(`
    CREATE TABLE outside_changes (
      tenant TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('created', 'revoked')),
      key_id TEXT NOT NULL,
      key_name TEXT NOT NULL,
      key_preview TEXT,
      actor TEXT,
      actor_name TEXT,
      changed_at TEXT,
      found_at INTEGER NOT NULL,
      acked_at INTEGER,
      ack_seq INTEGER,
      PRIMARY KEY (tenant, kind, key_id)
    ) WITHOUT ROWID;
    CREATE INDEX outside_changes_open ON outside_changes (tenant, kind, found_at) WHERE acked_at IS NULL;
  `)
}
