import type { Environment } from '../../../shared/tenants'
import type { ApiKey } from '../../../shared/meshqu'
import { DAY_MS, keyFindings, type RadarCategory } from '../../../shared/radar'
import { keyPolicyBreaches } from '../../../shared/policy'
import { atomicWriteFile } from '../../../node/fs/atomic-write'
import { reportCsv, reportJson, type ReportRow } from '../radar/report'
import type { RadarStore, RadarTenant } from './radar'

/** A tenant as the credential report names it, with its radar rules. */
export interface ReportTenant {
  label: string
  tenantId: string
  environment: Environment
  radar: RadarTenant
}

export interface ReportRequest {
  format: 'csv' | 'json'
  tenants: readonly ReportTenant[]
  /** Only these key ids per tenant (first-seen order); every stored key when absent. */
  selection?: Record<string, readonly string[]>
  now: number
  /** Written here (0600, atomically) instead of returned as text. */
  path?: string
}

export interface ReportResult {
  rows: number
  /** The text, when no path was given. */
  content: string | null
}

/** The findings of keys of one tenant, with what only the store knows (rotations, failed schedules). */
export async function findingsOf(
  radar: RadarStore,
  t: RadarTenant,
  keys: readonly { keyId: string; key: ApiKey | null }[],
  now: number,
  /** The tenant's key context when the caller read it already (radar.keys shows its outside changes too). */
  known?: Awaited<ReturnType<RadarStore['keyContext']>>
): Promise<RadarCategory[][]> {
  const ctx = known ?? (await radar.keyContext(t.tenant))
  return keys.map(({ keyId, key }) => {
    const extra = {
      rotatedAt: ctx.rotatedAt.get(keyId) ?? null,
      revokeFailed: ctx.revokeFailed.has(keyId),
      outside: (ctx.outside.get(keyId) ?? []).map((c) => c.kind)
    }
    const policy = t.policy && { ...t.policy, waivedUntil: ctx.waivedUntil.get(keyId) ?? null }
    if (key) return keyFindings(key, { now, rules: t.rules, ownAdminPreview: t.ownAdminPreview, ...extra, ...(policy ? { policy } : {}) })
    // A key the store does not hold has only the findings its rotation or schedule gives it.
    const out: RadarCategory[] = []
    if (extra.rotatedAt !== null && extra.rotatedAt < now - t.rules.rotationPendingDays * DAY_MS) out.push('rotation-pending')
    if (extra.revokeFailed) out.push('revoke-failed')
    if (extra.outside.includes('revoked')) out.push('revoked-outside')
    return out
  })
}

/** The fleet-policy rules each key breaks now (none for a key the store does not hold, or while its waiver runs). */
export async function policyRulesOf(radar: RadarStore, t: RadarTenant, keys: readonly { keyId: string; key: ApiKey | null }[], now: number) {
  const { waivedUntil } = await radar.keyContext(t.tenant)
  return keys.map(({ keyId, key }) => (key ? policyColumns(t, key, waivedUntil.get(keyId) ?? null, now).policy : []))
}

/** The report's policy columns: the rules the key breaks now, and a waiver still running. */
function policyColumns(t: RadarTenant, key: ApiKey, waivedUntil: number | null, now: number) {
  if (!t.policy) return { policy: [], policyWaivedUntil: null }
  const ctx = { now, policy: t.policy.rules, environment: t.policy.environment, ownAdminPreview: t.ownAdminPreview }
  const running = waivedUntil !== null && waivedUntil > now ? waivedUntil : null
  return { policy: keyPolicyBreaches(key, { ...ctx, waivedUntil: running }).map((b) => b.rule), policyWaivedUntil: running }
}

/**
 * The credential report, built where the store lives (its thread): every key of every tenant
 * is read, judged and written there, so a fleet of any size never holds main's event loop, and a
 * report saved to a file never crosses to main at all.
 */
export async function buildReport(
  d: {
    radar: RadarStore
    keysOf: (tenant: string) => Promise<{ keys: ApiKey[]; syncedAt: number } | null>
  },
  req: ReportRequest
): Promise<ReportResult> {
  const rows: ReportRow[] = []
  for (const t of req.tenants) {
    const tenant = t.radar.tenant
    let keys: ApiKey[]
    let syncedAt: number | null
    const ids = req.selection?.[tenant]
    if (req.selection) {
      if (!ids) continue
      const found = await d.radar.keysById(tenant, ids)
      keys = ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []))
      syncedAt = await d.radar.syncedAt(tenant)
    } else {
      const stored = await d.keysOf(tenant)
      keys = stored?.keys ?? []
      syncedAt = stored?.syncedAt ?? null
    }
    if (!keys.length) continue
    const findings = await findingsOf(
      d.radar,
      t.radar,
      keys.map((key) => ({ keyId: key.id, key })),
      req.now
    )
    const { waivedUntil } = await d.radar.keyContext(tenant)
    const reasons = await d.radar.journalReasons(
      tenant,
      keys.map((k) => k.id)
    )
    keys.forEach((key, i) =>
      rows.push({
        tenant: t.label,
        tenantId: t.tenantId,
        environment: t.environment,
        key,
        findings: findings[i]!,
        ...policyColumns(t.radar, key, waivedUntil.get(key.id) ?? null, req.now),
        reason: reasons.get(key.id) ?? null,
        syncedAt
      })
    )
  }
  const content = req.format === 'csv' ? reportCsv(rows, req.now) : reportJson(rows, req.now)
  if (req.path === undefined) return { rows: rows.length, content }
  await atomicWriteFile(req.path, content, 0o600)
  return { rows: rows.length, content: null }
}
