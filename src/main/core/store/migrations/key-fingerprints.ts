import type { Database } from 'better-sqlite3'

/**
 * Leak triage's exact match: the keyed fingerprint (HMAC-SHA-256, triage/fingerprint-key.ts) of
 * each plaintext KeyDesk created or rotated in, with its tenant and key id. The fingerprint is
 * the primary key, so a pasted key resolves in one index lookup. Purged with its tenant
 * (removeTenant finds every table with a `tenant` column).
 */
export function keyFingerprintsMigration(db: Database): void {
  db.exec(`
    CREATE TABLE key_fingerprints (
      fingerprint TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      key_id TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX key_fingerprints_by_key ON key_fingerprints (tenant, key_id);
  `)
}
