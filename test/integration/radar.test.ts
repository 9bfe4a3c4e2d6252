import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, STILL_PRESENTED_NAME } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createExportSaver } from '../../src/main/core/fs/export-file'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { ChannelOutput } from '../../src/shared/contract'

// The radar end to end in main: a real sandbox over HTTP (seeded with one key per category and
// a revoked key still presented), a real core and its real encrypted store.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let prod: string
let staging: string
const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-radar-'))
const reportPath = join(dataDir, 'saved-report.csv')

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}

beforeAll(async () => {
  // The admin key plus the eight showcase keys, nothing random: every count is exact.
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 9, quiet: true })
  core = createCore({
    dataDir,
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    expiryCheckEveryMs: false,
    fileSaver: createExportSaver(async () => reportPath)
  })
  const t = sandbox.tenants[0]!
  prod = ok<{ id: string }>(
    await core.invoke('tenants.add', {
      label: 'acme-prod',
      tenantId: t.id,
      baseUrl: sandbox.url,
      environment: 'production',
      level: 'protected',
      adminKey: t.admin_key
    })
  ).id
  // A second tenant whose profile's admin key lacks audit:read (and is "KeyDesk's own" there).
  const u = sandbox.tenants[1]!
  const made = await fetch(`${sandbox.url}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${u.admin_key}`, 'x-meshqu-tenant-id': u.id, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'keydesk-staging-admin', scopes: ['api-keys:admin'] })
  })
  const plaintext = ((await made.json()) as { plaintext_key: string }).plaintext_key
  staging = ok<{ id: string }>(
    await core.invoke('tenants.add', { label: 'acme-staging', tenantId: u.id, baseUrl: sandbox.url, environment: 'staging', adminKey: plaintext })
  ).id
  ok(await core.invoke('keys.listAll', { tenant: prod }))
  ok(await core.invoke('keys.listAll', { tenant: staging }))
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('radar over the store', () => {
  it("counts every category per tenant with each rule set, own admin key excluded, with the data's age", async () => {
    const s = ok<ChannelOutput<'radar.summary'>>(await core.invoke('radar.summary', {}))
    expect(s.tenants.map((t) => t.label)).toEqual(['acme-prod', 'acme-staging'])
    const [p, st] = s.tenants
    expect(p!.counts).toEqual({
      'expired-active': 0,
      'expiring-1d': 1,
      'expiring-7d': 2,
      'expiring-30d': 3,
      'never-used': 1,
      unused: 1,
      // the trade service's key and KeyDesk's own admin key have no expiry
      'no-expiry': 2,
      // ops-console-admin; the sandbox admin key is KeyDesk's own here
      privileged: 1,
      // Production's default policy (90 days at most, an expiry, no admin scopes): every showcase key
      // lives longer than 90 days or has no expiry, and KeyDesk's own admin key has none either.
      'outside-policy': 8,
      'rotation-pending': 0,
      'revoke-failed': 0,
      // the first sync of a tenant is the baseline: nothing changed outside KeyDesk yet
      'created-outside': 0,
      'revoked-outside': 0
    })
    expect(p!.findings).toBe(3 + 1 + 1 + 2 + 1 + 8)
    expect(p!.compliance).toEqual({ within: 0, live: 8 })
    // Staging: 180 days unused, 30 days never used, no expiry not flagged; its own key is the new admin key,
    // so the sandbox's admin key is a finding there.
    expect(st!.counts).toMatchObject({ 'expiring-30d': 3, 'never-used': 1, unused: 1, 'no-expiry': 0, privileged: 2 })
    expect(p!.syncedAt).not.toBeNull()
    expect(p!.ageMs).toBeGreaterThanOrEqual(0)
    const expiring = s.categories.find((c) => c.category === 'expiring-30d')!
    expect(expiring).toEqual({
      category: 'expiring-30d',
      total: 6,
      tenants: [
        { tenant: prod, count: 3 },
        { tenant: staging, count: 3 }
      ]
    })
  })

  it('drills from a category to its keys across tenants, production first, page by page', async () => {
    const first = ok<ChannelOutput<'radar.keys'>>(await core.invoke('radar.keys', { category: 'expiring-30d', limit: 4 }))
    expect(first).toMatchObject({ total: 6, offset: 0, truncated: true })
    expect(first.items.map((i) => [i.tenant.label, i.key!.name])).toEqual([
      ['acme-prod', 'payments-gateway-prod-expiring'],
      ['acme-prod', 'ledger-sync-prod-expiring'],
      ['acme-prod', 'reporting-prod-expiring'],
      ['acme-staging', 'payments-gateway-prod-expiring']
    ])
    expect(first.items[0]!.findings).toEqual(['expiring-1d', 'expiring-7d', 'expiring-30d', 'outside-policy'])
    expect(first.items[0]!.policyRules).toEqual(['max-expiry'])
    expect(first.items[0]!.tenant.environment).toBe('production')
    const rest = ok<ChannelOutput<'radar.keys'>>(await core.invoke('radar.keys', { category: 'expiring-30d', limit: 4, offset: 4 }))
    expect(rest).toMatchObject({ total: 6, truncated: false })
    expect(rest.items.map((i) => i.key!.name)).toEqual(['ledger-sync-prod-expiring', 'reporting-prod-expiring'])
    const onlyStaging = ok<ChannelOutput<'radar.keys'>>(await core.invoke('radar.keys', { category: 'privileged', tenants: [staging] }))
    expect(onlyStaging.items.map((i) => i.key!.name).sort()).toEqual(['keydesk-sandbox-admin', 'ops-console-admin'])
    expect(await core.invoke('radar.keys', { category: 'nonsense' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('lists the revoked key a service still presents; a tenant without audit:read is told so, not failed', async () => {
    const r = ok<ChannelOutput<'radar.presented'>>(await core.invoke('radar.presented', {}))
    const p = r.tenants.find((t) => t.tenant === prod)!
    expect(p).toMatchObject({ state: 'ok', servedFrom: 'network', truncated: false, message: null })
    expect(p.keys).toEqual([expect.objectContaining({ name: STILL_PRESENTED_NAME, status: 'revoked', count: 24 })])
    expect(p.keys[0]!.lastAt).toBeGreaterThan(p.keys[0]!.firstAt)
    const s = r.tenants.find((t) => t.tenant === staging)!
    expect(s).toMatchObject({ state: 'no-audit-read', keys: [] })
    expect(s.message).toContain('audit:read')

    // The service keeps trying: two more presentations show up at the next look.
    await sandbox.control.present(sandbox.tenants[0]!.id, { key_id: p.keys[0]!.keyId, times: 2 })
    const again = ok<ChannelOutput<'radar.presented'>>(await core.invoke('radar.presented', { tenant: prod }))
    expect(again.tenants).toHaveLength(1)
    expect(again.tenants[0]!.keys[0]!.count).toBe(26)
  })

  it('writes the credential report for all tenants or a selection, formula-safe, returned or saved', async () => {
    const all = ok<ChannelOutput<'radar.report'>>(await core.invoke('radar.report', { format: 'csv' }))
    expect(all.rows).toBe(19) // nine keys in one tenant, ten in the other
    const lines = all.content!.trimEnd().split('\r\n')
    expect(lines[0]).toMatch(
      /^tenant,tenant_id,environment,id,name,key_preview,status,scopes,created_at,expires_at,last_used_at,findings,policy,policy_waived_until,reason,synced_at$/
    )
    const ops = lines.find((l) => l.startsWith('acme-prod,') && l.includes(',ops-console-admin,'))!
    expect(ops).toContain(',production,')
    // Its only finding besides the policy's: 180 days of life and admin scopes break production's.
    expect(ops).toContain(',privileged outside-policy,max-expiry forbidden-scope,')
    expect(lines.find((l) => l.includes(STILL_PRESENTED_NAME))).toContain(',revoked,')

    const keys = ok<ChannelOutput<'radar.keys'>>(await core.invoke('radar.keys', { category: 'unused', tenants: [prod] }))
    const picked = ok<ChannelOutput<'radar.report'>>(
      await core.invoke('radar.report', {
        format: 'json',
        selection: [
          { tenant: prod, keyId: keys.items[0]!.keyId },
          { tenant: prod, keyId: 'not-in-store' }
        ]
      })
    )
    expect(picked.rows).toBe(1)
    const json = JSON.parse(picked.content!) as { keys: { name: string; findings: string[]; reason: null }[] }
    expect(json.keys).toEqual([
      expect.objectContaining({ name: 'legacy-exporter-prod-unused', findings: ['unused', 'outside-policy'], policy: ['max-expiry'], reason: null })
    ])

    const saved = ok<ChannelOutput<'radar.report'>>(await core.invoke('radar.report', { format: 'csv', save: true }))
    expect(saved).toMatchObject({ saved: true, path: reportPath, content: null, rows: 19 })
    expect(readFileSync(reportPath, 'utf8')).toBe(all.content)
  })

  it('works offline: counts from the store, still-presented keys from the last answer with its time', async () => {
    const before = ok<ChannelOutput<'radar.summary'>>(await core.invoke('radar.summary', {}))
    await sandbox.close()
    const after = ok<ChannelOutput<'radar.summary'>>(await core.invoke('radar.summary', {}))
    expect(after.tenants.map((t) => t.counts)).toEqual(before.tenants.map((t) => t.counts))
    const r = ok<ChannelOutput<'radar.presented'>>(await core.invoke('radar.presented', { tenant: prod }))
    expect(r.tenants[0]).toMatchObject({ state: 'ok', servedFrom: 'store', keys: [expect.objectContaining({ count: 26 })] })
    expect(r.tenants[0]!.checkedAt).toBeLessThanOrEqual(Date.now())
  })
})
