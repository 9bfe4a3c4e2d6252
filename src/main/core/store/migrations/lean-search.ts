import type { Database } from 'better-sqlite3'

/**
 * A smaller search index, filled once per sync instead of once per row. Appended to MIGRATIONS
 * in schema.ts.
 *
 * keys_fts          FTS5 trigram index, contentless (`content = ''`: the rows are in `keys`),
 *                   `detail = none` (row ids only, no positions or columns), `columnsize = 0`.
 *                   It answers "which rows hold every trigram of the term"; the search checks the
 *                   term itself on those rows (search-plan.ts), so positions were never needed.
 *                   It indexes name, preview, and the id only when the id has a character outside
 *                   [0-9a-fA-F-] (see HEXISH_ID): a UUID's 34 trigrams cost more than name and
 *                   preview together. A term that could lie inside such an id is looked for by a
 *                   scan of `keys_text` instead; any other term cannot be in one.
 * keys_fts_pending  rows written since the index was last filled. FTS5 writes its pending terms
 *                   to disk at every statement boundary inside a transaction, so one FTS insert
 *                   per inserted row (the old trigger) wrote one tiny segment per key and merged
 *                   them: ~70% of a first sync. Rows are queued here instead and indexed by one
 *                   INSERT … SELECT when the sync records itself in `tenant_sync`, which every
 *                   sync does last, in the same transaction: no search sees a queued row.
 * keys_text         (id COLLATE NOCASE, preview, name, listed): the scan for short terms and for
 *                   terms that may lie inside an id, and the exact id lookup; it replaces
 *                   keys_by_id and no longer carries the tenant (no search reads it from here).
 *
 * keys_by_expiry and keys_by_last_use go: every statement that reads expiry or last use also
 * names the tenant and is answered by keys_by_status or keys_by_use (the query-plan test holds it).
 */
export function leanSearchMigration(db: Database): void {
  db.exec(`
    DROP TRIGGER keys_fts_insert;
    DROP TRIGGER keys_fts_delete;
    DROP TRIGGER keys_fts_update;
    DROP TABLE keys_fts;
    DROP INDEX keys_by_expiry;
    DROP INDEX keys_by_last_use;
    DROP INDEX keys_by_id;
    DROP INDEX keys_text;
    CREATE INDEX keys_text ON keys (id COLLATE NOCASE, key_preview, name, listed);

    CREATE VIRTUAL TABLE keys_fts USING fts5 (
      name, key_preview, id,
      content = '', detail = none, columnsize = 0, tokenize = 'trigram case_sensitive 0'
    );
    CREATE TABLE keys_fts_pending (key_rowid INTEGER PRIMARY KEY);
    INSERT INTO keys_fts (rowid, name, key_preview, id) SELECT rowid, name, key_preview, ${ftsId('id')} FROM keys;

    CREATE TRIGGER keys_fts_queue AFTER INSERT ON keys BEGIN
      INSERT INTO keys_fts_pending (key_rowid) VALUES (new.rowid);
    END;
    -- A contentless index forgets a row only when told its indexed values: old.* are those
    -- (a changed row is queued again below), unless the row was still queued, never indexed.
    CREATE TRIGGER keys_fts_delete AFTER DELETE ON keys BEGIN
      ${forget('old')}
      DELETE FROM keys_fts_pending WHERE key_rowid = old.rowid;
    END;
    CREATE TRIGGER keys_fts_update AFTER UPDATE OF name, key_preview, id ON keys
      WHEN old.name IS NOT new.name OR old.key_preview IS NOT new.key_preview OR old.id IS NOT new.id BEGIN
      ${forget('old')}
      INSERT OR IGNORE INTO keys_fts_pending (key_rowid) VALUES (new.rowid);
    END;
    CREATE TRIGGER tenant_sync_fts_insert AFTER INSERT ON tenant_sync BEGIN
      ${FILL_PENDING_SQL}
    END;
    CREATE TRIGGER tenant_sync_fts_update AFTER UPDATE ON tenant_sync BEGIN
      ${FILL_PENDING_SQL}
    END;
  `)
}

/** The id as indexed: NULL when every character is a hex digit or '-' (search-plan.ts HEXISH). */
const ftsId = (column: string) => `CASE WHEN ${column} GLOB '*[^0-9a-fA-F-]*' THEN ${column} END`

const forget = (row: string) => `
      INSERT INTO keys_fts (keys_fts, rowid, name, key_preview, id)
        SELECT 'delete', ${row}.rowid, ${row}.name, ${row}.key_preview, ${ftsId(`${row}.id`)}
        WHERE NOT EXISTS (SELECT 1 FROM keys_fts_pending WHERE key_rowid = ${row}.rowid);`

/** Indexes the queued rows: what a sync's `tenant_sync` write runs, and a single key's write too. */
export const FILL_PENDING_SQL = `
      INSERT INTO keys_fts (rowid, name, key_preview, id)
        SELECT k.rowid, k.name, k.key_preview, ${ftsId('k.id')} FROM keys_fts_pending p JOIN keys k ON k.rowid = p.key_rowid;
      DELETE FROM keys_fts_pending;`
