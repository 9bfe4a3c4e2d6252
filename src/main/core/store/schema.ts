import { campaignsMigration } from './migrations/campaigns'
import type { Database } from 'better-sqlite3'
import { journalMigration } from './migrations/journal'
import { radarMigration } from './migrations/radar'
import { radarCountsMigration } from './migrations/radar-counts'
import { newestFirstMigration } from './migrations/newest-first'
import { leanSearchMigration } from './migrations/lean-search'
import { storeMetaMigration } from './migrations/store-meta'
import { runnerLeaseMigration } from './migrations/runner-lease'
import { outsideChangesMigration } from './migrations/outside-changes'
import { fleetPolicyMigration } from './migrations/fleet-policy'
import { keyFingerprintsMigration } from './migrations/key-fingerprints'

/**
 * The fleet store's schema, one migration per `user_version`. Each runs in its own transaction;
 * a migration never edits an earlier one (a database that ran it would not run it again).
 *
 * keys         every tenant's keys, one row per (tenant, id); `json` is the key as MeshQu sent it
 *              (what the renderer gets back), the other columns exist to be indexed and queried.
 *              `listed = 0` marks a key the last full list no longer had (kept for history).
 * key_scopes   one row per key and scope, for "keys holding api-keys:admin" across the fleet.
 * keys_fts     FTS5 trigram index over name, preview and id (from 6: contentless, row ids only,
 *              UUID ids left out; see migrations/lean-search.ts).
 * tenant_sync  when each tenant was last synced, and how many keys it listed.
 * journal, scheduled_revokes: see migrations/journal.ts.
 * keys_newest_first: see migrations/newest-first.ts.
 * keys_fts_pending, keys_text from 6: see migrations/lean-search.ts.
 * store_meta: see migrations/store-meta.ts.
 *
 * Each migration gets the version the file had before this open (`from`; 0 for a new file).
 * scheduled_revokes' owner, lease and key_created_at from 8: see migrations/runner-lease.ts.
 * outside_changes from 9: see migrations/outside-changes.ts.
 * fleet_policy, policy_waivers from 10: see migrations/fleet-policy.ts.
 * key_fingerprints from 11: see migrations/key-fingerprints.ts.
 */
export const MIGRATIONS: readonly ((db: Database, from: number) => void)[] = [
  // 1: keys, scopes, search, sync times, rate-limit history, audit page, rotations, unknown writes
  (db) =>
    db.exec(`
      CREATE TABLE keys (
        rowid INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        key_preview TEXT NOT NULL,
        is_active INTEGER NOT NULL,
        revoked INTEGER NOT NULL,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER,
        last_used_ms INTEGER,
        listed INTEGER NOT NULL DEFAULT 1,
        first_seen INTEGER NOT NULL,
        json TEXT NOT NULL,
        UNIQUE (tenant, id)
      );
      -- Covering: counts per status read only this index, never the rows and their JSON.
      CREATE INDEX keys_by_status ON keys (tenant, listed, revoked, expires_ms, is_active);
      -- Covering: a scan for short search terms reads the three searched columns, not the JSON.
      CREATE INDEX keys_text ON keys (listed, name, key_preview, id, tenant);
      CREATE INDEX keys_by_expiry ON keys (expires_ms) WHERE listed = 1 AND revoked = 0;
      CREATE INDEX keys_by_last_use ON keys (last_used_ms) WHERE listed = 1 AND revoked = 0;
      CREATE INDEX keys_by_id ON keys (id COLLATE NOCASE);
      CREATE INDEX keys_by_preview ON keys (key_preview COLLATE NOCASE);

      CREATE TABLE key_scopes (
        key_rowid INTEGER NOT NULL REFERENCES keys (rowid) ON DELETE CASCADE,
        scope TEXT NOT NULL,
        PRIMARY KEY (scope, key_rowid)
      ) WITHOUT ROWID;
      CREATE INDEX key_scopes_by_key ON key_scopes (key_rowid);

      CREATE VIRTUAL TABLE keys_fts USING fts5 (
        name, key_preview, id,
        content = 'keys', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 0'
      );
      CREATE TRIGGER keys_fts_insert AFTER INSERT ON keys BEGIN
        INSERT INTO keys_fts (rowid, name, key_preview, id) VALUES (new.rowid, new.name, new.key_preview, new.id);
      END;
      CREATE TRIGGER keys_fts_delete AFTER DELETE ON keys BEGIN
        INSERT INTO keys_fts (keys_fts, rowid, name, key_preview, id) VALUES ('delete', old.rowid, old.name, old.key_preview, old.id);
      END;
      CREATE TRIGGER keys_fts_update AFTER UPDATE OF name, key_preview, id ON keys
        WHEN old.name IS NOT new.name OR old.key_preview IS NOT new.key_preview OR old.id IS NOT new.id BEGIN
        INSERT INTO keys_fts (keys_fts, rowid, name, key_preview, id) VALUES ('delete', old.rowid, old.name, old.key_preview, old.id);
        INSERT INTO keys_fts (rowid, name, key_preview, id) VALUES (new.rowid, new.name, new.key_preview, new.id);
      END;

      CREATE TABLE tenant_sync (
        tenant TEXT PRIMARY KEY,
        synced_at INTEGER NOT NULL,
        listed INTEGER NOT NULL
      );

      CREATE TABLE ratelimit_windows (
        tenant TEXT NOT NULL,
        reset_at INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (tenant, reset_at)
      );

      CREATE TABLE audit_pages (
        tenant TEXT PRIMARY KEY,
        synced_at INTEGER NOT NULL,
        json TEXT NOT NULL
      );

      CREATE TABLE rotations (
        tenant TEXT NOT NULL,
        old_key_id TEXT NOT NULL,
        new_key_id TEXT NOT NULL,
        rotated_at INTEGER NOT NULL,
        PRIMARY KEY (tenant, old_key_id)
      );

      CREATE TABLE unknown_writes (
        seq INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        kind TEXT NOT NULL,
        key_id TEXT,
        name TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX unknown_writes_by_tenant ON unknown_writes (tenant);
    `),
  // 2: operator journal, scheduled revokes (store/migrations/journal.ts)
  journalMigration,
  // 3: radar: keys.privileged, indexes for unused/never used, expiry notices, presented keys
  radarMigration,
  // 4: the radar's counts, kept between calls and restarts (store/migrations/radar-counts.ts)
  radarCountsMigration,
  // 5: a tenant's keys newest first, for the cold switch's first screenful (store/migrations/newest-first.ts)
  newestFirstMigration,
  // 6: a smaller search index, filled once per sync; fewer, narrower indexes (store/migrations/lean-search.ts)
  leanSearchMigration,
  // 7: the store's identity, generation and one-time import record (store/migrations/store-meta.ts)
  storeMetaMigration,
  // 8: scheduled revokes claimed with an owner and a lease; the key's created_at kept to compare (store/migrations/runner-lease.ts)
  runnerLeaseMigration,
  // 9: keys created or revoked outside KeyDesk, found at each sync (store/migrations/outside-changes.ts)
  outsideChangesMigration,
  // 10: the fleet policy per environment and its waivers (store/migrations/fleet-policy.ts)
  fleetPolicyMigration,
  // 11: keyed fingerprints of the plaintexts KeyDesk made, for leak triage (store/migrations/key-fingerprints.ts)
  keyFingerprintsMigration,
  // 12: rotation campaigns and each key's state in them (store/migrations/campaigns.ts)
  campaignsMigration
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Brings a database to SCHEMA_VERSION; refuses one written by a newer KeyDesk rather than guess. */
export function migrate(db: Database): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number
  if (from > SCHEMA_VERSION) {
    throw new StoreFromTheFutureError(from)
  }
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      MIGRATIONS[v]!(db, from)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  return { from, to: SCHEMA_VERSION }
}

export class StoreFromTheFutureError extends Error {
  override name = 'StoreFromTheFutureError'
  constructor(readonly version: number) {
    super(`the store was written by a newer KeyDesk (schema ${version}, this one knows ${SCHEMA_VERSION})`)
  }
}
