import type { Database } from 'better-sqlite3'
import type { ApiKey } from '../../../shared/meshqu'

export interface FingerprintHit {
  fingerprint: string
  tenant: string
  keyId: string
  /** The key as last written to the store; null when its row is gone (the tenant's list no longer has it). */
  key: ApiKey | null
}

export interface PreviewHit {
  preview: string
  tenant: string
  key: ApiKey
}

/** Leak triage's two lookups (migrations/key-fingerprints.ts): by keyed fingerprint, and by MeshQu's preview. */
export function createTriageTable(db: Database) {
  const put = db.prepare('INSERT OR REPLACE INTO key_fingerprints (fingerprint, tenant, key_id, created_at) VALUES (?, ?, ?, ?)')
  const byFingerprint = db.prepare<[string], { tenant: string; key_id: string; json: string | null }>(
    `SELECT f.tenant, f.key_id, k.json FROM key_fingerprints f
     LEFT JOIN keys k ON k.tenant = f.tenant AND k.id = f.key_id WHERE f.fingerprint = ?`
  )
  // keys_by_preview is NOCASE; the exact (case-sensitive) comparison is made on its few rows.
  const byPreview = db.prepare<[string], { tenant: string; key_preview: string; json: string }>(
    'SELECT tenant, key_preview, json FROM keys WHERE key_preview = ? COLLATE NOCASE AND listed = 1'
  )
  return {
    put(tenant: string, keyId: string, fingerprint: string, at: number): void {
      put.run(fingerprint, tenant, keyId, at)
    },
    byFingerprints(fingerprints: readonly string[]): FingerprintHit[] {
      return fingerprints.flatMap((fingerprint) =>
        byFingerprint.all(fingerprint).map((r) => ({
          fingerprint,
          tenant: r.tenant,
          keyId: r.key_id,
          key: r.json ? (JSON.parse(r.json) as ApiKey) : null
        }))
      )
    },
    byPreviews(previews: readonly string[]): PreviewHit[] {
      return [...new Set(previews)].flatMap((preview) =>
        byPreview
          .all(preview)
          .filter((r) => r.key_preview === preview)
          .map((r) => ({ preview, tenant: r.tenant, key: JSON.parse(r.json) as ApiKey }))
      )
    }
  }
}

export type TriageTable = ReturnType<typeof createTriageTable>
