import type { Database } from 'better-sqlite3'

/**
 * The radar's counts, kept (counts in < 100 ms from the store). Appended to
 * MIGRATIONS in schema.ts.
 *
 * radar_counts  per tenant, the key-category counts as of `at` (ms) under the rules they were
 *               counted with (`rules`, the thresholds that change a count). A later call adds what
 *               changed between `at` and its own time, read from narrow index ranges (keys whose
 *               expiry, last use or creation crossed a threshold meanwhile), instead of counting
 *               every tenant's keys again: counting all of them reads each tenant's index pages
 *               from disk, which is most of a first call after start-up.
 *
 * A row holds only while the tenant's keys are unchanged. Keys change only with a sync (or the
 * tenant's removal), and each writes `tenant_sync`: the triggers drop the tenant's row then. A
 * later migration that edits `keys` must delete from radar_counts too.
 */
export function radarCountsMigration(db: Database): void {
  db.exec(`
    CREATE TABLE radar_counts (
      tenant TEXT PRIMARY KEY,
      synced_at INTEGER NOT NULL,
      rules TEXT NOT NULL,
      at INTEGER NOT NULL,
      counts TEXT NOT NULL
    );
    CREATE TRIGGER tenant_sync_radar_insert AFTER INSERT ON tenant_sync BEGIN
      DELETE FROM radar_counts WHERE tenant = new.tenant;
    END;
    CREATE TRIGGER tenant_sync_radar_update AFTER UPDATE ON tenant_sync BEGIN
      DELETE FROM radar_counts WHERE tenant = old.tenant OR tenant = new.tenant;
    END;
    CREATE TRIGGER tenant_sync_radar_delete AFTER DELETE ON tenant_sync BEGIN
      DELETE FROM radar_counts WHERE tenant = old.tenant;
    END;
  `)
}
