import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { ApiKey } from '../../src/shared/meshqu'
import type { RadarSummary } from '../../src/shared/contract'
import type { JournalEntry } from '../../src/shared/journal'
import { DEFAULT_POLICY, type FleetPolicy, type PolicyChange } from '../../src/shared/policy'
import type { AppError } from '../../src/shared/errors'

// Main enforces the fleet policy over real HTTP against the sandbox: a create outside it is
// refused before anything reaches MeshQu, a waiver lets it through and is journaled, and the
// radar counts the key again once the waiver lapses.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let clock = Date.now()
const DAY = 86_400_000
let prod: string
let staging: string

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
const fails = (r: Reply<unknown>): AppError => {
  if (r.ok) throw new Error('expected a refusal')
  return r.error
}
const iso = (ms: number) => new Date(ms).toISOString()
const journal = async (tenant: string) => ok<{ entries: JournalEntry[] }>(await core.invoke('journal.list', { tenant })).entries
const keysOf = async (tenant: string) => ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant })).keys
const outsidePolicy = async (tenant: string) => {
  const s = ok<RadarSummary>(await core.invoke('radar.summary', {}))
  const row = s.tenants.find((t) => t.id === tenant)!
  return { count: row.counts['outside-policy'], compliance: row.compliance }
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 0, quiet: true })
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-policy-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    now: () => clock
  })
  const [a, b] = sandbox.tenants
  prod = ok<{ id: string }>(
    await core.invoke('tenants.add', {
      label: 'acme-prod',
      tenantId: a!.id,
      baseUrl: sandbox.url,
      environment: 'production',
      level: 'protected',
      adminKey: a!.admin_key
    })
  ).id
  staging = ok<{ id: string }>(
    await core.invoke('tenants.add', { label: 'acme-staging', tenantId: b!.id, baseUrl: sandbox.url, environment: 'staging', adminKey: b!.admin_key })
  ).id
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('fleet policy in main', () => {
  it('refuses a production create outside policy with POLICY and the rule; nothing reaches MeshQu; the refusal is journaled', async () => {
    const before = (await keysOf(prod)).length
    const noExpiry = fails(await core.invoke('keys.create', { tenant: prod, key: { name: 'forever', scopes: ['decisions:read'], expires_at: null } }))
    expect(noExpiry).toMatchObject({ code: 'POLICY', rule: 'expiry-required' })
    expect(noExpiry.message).toContain('Production policy: a key must expire within 90 days.')
    const admin = fails(
      await core.invoke('keys.create', { tenant: prod, key: { name: 'wide', scopes: ['api-keys:admin'], expires_at: iso(clock + 30 * DAY) } })
    )
    expect(admin).toMatchObject({ code: 'POLICY', rule: 'forbidden-scope' })
    const long = fails(
      await core.invoke('keys.create', { tenant: prod, key: { name: 'long', scopes: ['decisions:read'], expires_at: iso(clock + 365 * DAY) } })
    )
    expect(long).toMatchObject({ code: 'POLICY', rule: 'max-expiry' })
    expect((await keysOf(prod)).length).toBe(before)
    const refused = (await journal(prod)).filter((e) => e.action === 'key.create' && e.errorCode === 'POLICY')
    expect(refused.map((e) => e.keyName).sort()).toEqual(['forever', 'long', 'wide'])
    // Within policy, and anything in staging (permissive by default), goes through.
    ok(await core.invoke('keys.create', { tenant: prod, key: { name: 'fine', scopes: ['decisions:read'], expires_at: iso(clock + 30 * DAY) } }))
    ok(await core.invoke('keys.create', { tenant: staging, key: { name: 'forever', scopes: ['api-keys:admin'], expires_at: null } }))
  })

  it('a waiver lets it through, at most 30 days, journaled with its reason; when it lapses the key is outside policy again', async () => {
    const key = { name: 'migration-bot', scopes: ['decisions:read', 'api-keys:admin'], expires_at: null }
    const tooLong = fails(await core.invoke('keys.create', { tenant: prod, key, waiver: { reason: 'one-off migration', until: clock + 31 * DAY } }))
    expect(tooLong.code).toBe('VALIDATION')
    expect(tooLong.fields).toEqual({ 'waiver.until': 'A waiver ends within 30 days from now.' })
    const blank = fails(await core.invoke('keys.create', { tenant: prod, key, waiver: { reason: '   ', until: clock + DAY } }))
    expect(blank).toMatchObject({ code: 'VALIDATION', fields: { 'waiver.reason': 'Say why this key may break the policy' } })

    const until = clock + 7 * DAY
    const made = ok<{ key: ApiKey }>(await core.invoke('keys.create', { tenant: prod, key, waiver: { reason: 'one-off migration', until } }))
    const [waiver] = (await journal(prod)).filter((e) => e.action === 'policy.waiver')
    expect(waiver).toMatchObject({ keyId: made.key.id, reason: 'one-off migration', outcome: 'ok' })
    expect(waiver!.detail).toBe(`Allowed outside the production policy (expiry-required, forbidden-scope) until ${iso(until)}.`)

    // Counted from the store: the waived key is within policy while the waiver runs.
    await keysOf(prod)
    const during = await outsidePolicy(prod)
    const liveBefore = during.compliance.live
    expect(during.count).toBe(liveBefore - during.compliance.within)
    const ids = async () =>
      ok<{ items: { keyId: string; findings: string[] }[] }>(
        await core.invoke('radar.keys', { category: 'outside-policy', tenants: [prod] })
      ).items.map((i) => i.keyId)
    expect(await ids()).not.toContain(made.key.id)

    clock = until + 1
    const after = await outsidePolicy(prod)
    expect(after.count).toBe(during.count + 1)
    expect(await ids()).toContain(made.key.id)
    // The report's policy column names the rules.
    const report = ok<{ content: string }>(await core.invoke('radar.report', { format: 'json' }))
    const row = (JSON.parse(report.content) as { keys: { id: string; policy: string[] }[] }).keys.find((k) => k.id === made.key.id)
    expect(row!.policy).toEqual(['expiry-required', 'forbidden-scope'])
  })

  it('rotation follows the policy too; the own admin key keeps its scopes', async () => {
    const old = ok<{ key: ApiKey }>(
      await core.invoke('keys.create', { tenant: prod, key: { name: 'svc', scopes: ['decisions:read'], expires_at: iso(clock + 30 * DAY) } })
    ).key
    const refused = fails(await core.invoke('keys.rotate', { tenant: prod, id: old.id, name: 'svc-2', expires_at: null }))
    expect(refused).toMatchObject({ code: 'POLICY', rule: 'expiry-required' })
    expect((await journal(prod)).find((e) => e.action === 'key.rotate')).toMatchObject({ keyId: old.id, outcome: 'failed', errorCode: 'POLICY' })
    ok(await core.invoke('keys.rotate', { tenant: prod, id: old.id, name: 'svc-3', expires_at: iso(clock + 60 * DAY) }))
    // KeyDesk's own admin key (the profile's preview) holds api-keys:admin, forbidden in production: its rotation is not refused for it.
    const { tenants } = ok<{ tenants: { id: string; adminKeyPreview: string | null }[] }>(await core.invoke('tenants.list', {}))
    const own = (await keysOf(prod)).find((k) => k.key_preview === tenants.find((t) => t.id === prod)!.adminKeyPreview)!
    expect(own.scopes).toContain('api-keys:admin')
    ok(await core.invoke('keys.rotate', { tenant: prod, id: own.id, name: 'admin-r', expires_at: iso(clock + 60 * DAY) }))
    const other = (await keysOf(prod)).find((k) => k.name === 'migration-bot')!
    expect(fails(await core.invoke('keys.rotate', { tenant: prod, id: other.id, name: 'bot-r', expires_at: iso(clock + 60 * DAY) }))).toMatchObject({
      code: 'POLICY',
      rule: 'forbidden-scope'
    })
  })

  it('policy: changed, exported and imported with a preview; a bad file is refused with a sentence and changes nothing', async () => {
    expect(ok<FleetPolicy>(await core.invoke('policy.get', {}))).toEqual(DEFAULT_POLICY)
    const exported = ok<{ content: string; suggestedName: string }>(await core.invoke('policy.export', {}))
    expect(exported.suggestedName).toMatch(/^keydesk-policy-\d{4}-\d{2}-\d{2}\.json$/)

    const stricter = { ...DEFAULT_POLICY, staging: { ...DEFAULT_POLICY.staging, maxExpiryDays: 180, allowedPresets: ['monitor' as const] } }
    ok(await core.invoke('policy.update', { policy: stricter }))
    expect((await journal('*')).find((e) => e.action === 'policy.set')!.detail).toBe(
      'Policy changed: staging maxExpiryDays no maximum → 180 days; staging allowedPresets any scopes → Read-only monitoring.'
    )

    // The export from before, imported back: the preview says what goes back, nothing is written yet.
    const preview = ok<{ changes: PolicyChange[] }>(await core.invoke('policy.previewImport', { text: exported.content }))
    expect(preview.changes).toEqual([
      { environment: 'staging', rule: 'maxExpiryDays', before: '180 days', after: 'no maximum' },
      { environment: 'staging', rule: 'allowedPresets', before: 'Read-only monitoring', after: 'any scopes' }
    ])
    expect(ok<FleetPolicy>(await core.invoke('policy.get', {}))).toEqual(stricter)

    const notJson = fails(await core.invoke('policy.import', { text: '{ not json' }))
    expect(notJson.code).toBe('VALIDATION')
    expect(notJson.message).toBe('This file is not JSON, so it is not a KeyDesk policy; nothing was changed.')
    const bad = JSON.parse(exported.content) as { policy: FleetPolicy }
    bad.policy.production.maxExpiryDays = 0
    const invalid = fails(await core.invoke('policy.import', { text: JSON.stringify(bad) }))
    expect(invalid.message).toBe(
      'This policy file cannot be imported: Type at least 1 day (at policy.production.maxExpiryDays). Nothing was changed.'
    )
    expect(ok<FleetPolicy>(await core.invoke('policy.get', {}))).toEqual(stricter)

    expect(ok<FleetPolicy>(await core.invoke('policy.import', { text: exported.content }))).toEqual(DEFAULT_POLICY)
    expect((await journal('*')).find((e) => e.action === 'policy.set')!.detail).toMatch(/^Policy imported: /)
  })
})
