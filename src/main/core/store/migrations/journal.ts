import type { Database } from 'better-sqlite3'

/**
 * The operator journal and scheduled revokes, one migration appended to MIGRATIONS.
 *
 * journal            every write KeyDesk makes, append-only, each row chained to the previous by
 *                    `hash` = sha256(prev_hash + canonical entry) (see journal/chain.ts). Never a
 *                    secret: names, previews, ids, error codes, redacted reasons. Kept when a tenant
 *                    is removed (it is the record of that, too).
 * scheduled_revokes  revokes to run at `due_at` (ms); `state` is scheduled | running | done |
 *                    failed | cancelled. The radar counts `failed` ones. `away = 1` marks schedules
 *                    that came due while KeyDesk was closed; `reported = 1` once the UI showed them.
 * unknown_writes     gains `journal_seq`, the journal entry a later settlement refers to.
 */
export function journalMigration(db: Database): void {
  db.exec(`
    CREATE TABLE journal (
      seq INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      tenant TEXT NOT NULL,
      tenant_label TEXT NOT NULL,
      action TEXT NOT NULL,
      outcome TEXT NOT NULL,
      error_code TEXT,
      key_id TEXT,
      key_name TEXT,
      key_preview TEXT,
      reason TEXT,
      detail TEXT,
      job_id TEXT,
      ref_seq INTEGER,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE INDEX journal_by_tenant ON journal (tenant, seq);
    CREATE INDEX journal_by_key ON journal (tenant, key_id, seq);
    CREATE INDEX journal_by_time ON journal (at);

    CREATE TABLE scheduled_revokes (
      id INTEGER PRIMARY KEY,
      tenant TEXT NOT NULL,
      key_id TEXT NOT NULL,
      key_name TEXT NOT NULL,
      key_preview TEXT,
      due_at INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('scheduled', 'running', 'done', 'failed', 'cancelled')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      last_error_code TEXT,
      last_error TEXT,
      reason TEXT,
      created_at INTEGER NOT NULL,
      done_at INTEGER,
      away INTEGER NOT NULL DEFAULT 0,
      reported INTEGER NOT NULL DEFAULT 0
    );
    -- At most one live schedule per key: scheduling again moves it.
    CREATE UNIQUE INDEX scheduled_revokes_live ON scheduled_revokes (tenant, key_id) WHERE state IN ('scheduled', 'running');
    CREATE INDEX scheduled_revokes_due ON scheduled_revokes (state, due_at);
    CREATE INDEX scheduled_revokes_by_tenant ON scheduled_revokes (tenant, state);

    ALTER TABLE unknown_writes ADD COLUMN journal_seq INTEGER;
  `)
}
