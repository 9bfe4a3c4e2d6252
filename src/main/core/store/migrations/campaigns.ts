import type { Database } from 'better-sqlite3'

/**
 * Rotation campaigns (jobs in core/campaigns/):
 *
 * campaigns      one row per campaign: its settings (name pattern, replacements' expiry in days,
 *                quiet window and deadline in ms, pacing share, reason) and its state
 *                (running, cancelled, done).
 * campaign_keys  one row per old key in a campaign: its state (shared/campaigns.ts), the
 *                replacement (name decided before the create is sent, id once created), the
 *                evidence seen (old key's last use and how often it moved, new key's first use),
 *                when to check next, its own deadline (Extend moves it), and the claim
 *                (owner, lease_until) of a create or revoke in flight: a KeyDesk that died there
 *                leaves the row to the next one once the lease has run out. `intent_at` is when
 *                the create was sent, to find its key by name if the answer was lost.
 *                Purged with its tenant (removeTenant finds every table with a tenant column).
 */
export function campaignsMigration(db: Database): void {
  db.exec(`
    CREATE TABLE campaigns (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      state TEXT NOT NULL,
      name_pattern TEXT NOT NULL,
      expires_in_days INTEGER,
      quiet_ms INTEGER NOT NULL,
      deadline_at INTEGER NOT NULL,
      pacing_share REAL NOT NULL,
      reason TEXT,
      ended_at INTEGER
    ) WITHOUT ROWID;
    CREATE TABLE campaign_keys (
      id INTEGER PRIMARY KEY,
      campaign_id TEXT NOT NULL REFERENCES campaigns (id),
      tenant TEXT NOT NULL,
      old_key_id TEXT NOT NULL,
      old_name TEXT NOT NULL,
      old_preview TEXT,
      scopes TEXT NOT NULL,
      replacement_name TEXT NOT NULL,
      state TEXT NOT NULL,
      held_reason TEXT,
      new_key_id TEXT,
      new_preview TEXT,
      intent_at INTEGER,
      handed_over_at INTEGER,
      old_last_used_at INTEGER,
      old_uses_seen INTEGER NOT NULL DEFAULT 0,
      new_first_used_at INTEGER,
      deadline_at INTEGER NOT NULL,
      last_check_at INTEGER,
      next_check_at INTEGER,
      evidence TEXT,
      owner TEXT,
      lease_until INTEGER,
      last_error_code TEXT,
      last_error TEXT,
      done_at INTEGER,
      UNIQUE (campaign_id, tenant, old_key_id)
    );
    CREATE INDEX campaign_keys_by_campaign ON campaign_keys (campaign_id, state);
    CREATE INDEX campaign_keys_by_key ON campaign_keys (tenant, old_key_id);
  `)
}
