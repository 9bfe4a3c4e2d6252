import type { Database } from 'better-sqlite3'

/**
 * The fleet policy and its waivers, in the encrypted store rather than settings.json: the store's
 * file is encrypted under the keychain's data key and its generation is anchored there
 * (store/trust.ts), so a policy loosened by editing a file, or an older copy put back, does not
 * pass unseen; settings.json has no such anchor.
 *
 * fleet_policy    one row per environment: its rules as JSON (shared/policy.ts), when set.
 *                 No row: the environment's default.
 * policy_waivers  a key allowed outside policy: why, until when (ms), the rules it breaks. One
 *                 per (tenant, key); a later waiver of the same key replaces it. After `until_ms`
 *                 the key is counted outside policy again. Purged with its tenant (removeTenant).
 */
export function fleetPolicyMigration(db: Database): void {
  db.exec(`
    CREATE TABLE fleet_policy (
      environment TEXT PRIMARY KEY,
      json TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE policy_waivers (
      tenant TEXT NOT NULL,
      key_id TEXT NOT NULL,
      reason TEXT NOT NULL,
      until_ms INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      rules TEXT NOT NULL,
      PRIMARY KEY (tenant, key_id)
    ) WITHOUT ROWID;
  `)
}
