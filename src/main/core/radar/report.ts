import { KEY_COLUMNS, rowsToCsv } from '../../../shared/export'
import { keyStatus } from '../../../shared/key-view'
import type { ApiKey } from '../../../shared/meshqu'
import type { RadarCategory } from '../../../shared/radar'
import type { Environment } from '../../../shared/tenants'
import type { PolicyRule } from '../../../shared/policy'

/** One line of the credential report: metadata only, never a secret. */
export interface ReportRow {
  tenant: string
  tenantId: string
  environment: Environment
  key: ApiKey
  findings: RadarCategory[]
  /** The journal's latest reason for the key, or null. */
  reason: string | null
  /** The fleet-policy rules the key breaks (none while a waiver runs), and until when a waiver runs. */
  policy: PolicyRule[]
  policyWaivedUntil: number | null
  syncedAt: number | null
}

const COLUMNS = ['tenant', 'tenant_id', 'environment', ...KEY_COLUMNS, 'findings', 'policy', 'policy_waived_until', 'reason', 'synced_at'] as const

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

function record(r: ReportRow, now: number) {
  return {
    tenant: r.tenant,
    tenant_id: r.tenantId,
    environment: r.environment,
    id: r.key.id,
    name: r.key.name,
    key_preview: r.key.key_preview,
    status: keyStatus(r.key, now),
    scopes: r.key.scopes,
    created_at: r.key.created_at,
    expires_at: r.key.expires_at,
    last_used_at: r.key.last_used_at,
    findings: r.findings,
    policy: r.policy,
    policy_waived_until: iso(r.policyWaivedUntil),
    reason: r.reason,
    synced_at: iso(r.syncedAt)
  }
}

/** CSV through the shared writer (shared/export.ts): the keys view's formula guard, lists as spaced cells. */
export function reportCsv(rows: readonly ReportRow[], now: number): string {
  return rowsToCsv(
    COLUMNS,
    rows.map((r) => record(r, now))
  )
}

/** JSON keeps exact values, like the keys view's JSON export: it is data, not a spreadsheet. */
export function reportJson(rows: readonly ReportRow[], now: number): string {
  const keys = rows.map((r) => record(r, now))
  return `${JSON.stringify({ report: 'credential-report', exportedAt: new Date(now).toISOString(), count: rows.length, keys }, null, 2)}\n`
}
