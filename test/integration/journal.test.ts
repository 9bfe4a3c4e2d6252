import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createFleetStore } from '../../src/main/core/store/fleet-store'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { ApiKey } from '../../src/shared/meshqu'
import type { BulkJob } from '../../src/shared/contract'
import type { JournalEntry, JournalVerify } from '../../src/shared/journal'
import { STORE_KEY_ACCOUNT } from '../../src/main/core/tenants/keychain-accounts'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let dataDir: string
let clock = Date.parse('2026-11-23T12:00:00Z')
const secrets = createMemorySecretStore()
let staging: string
let prod: string

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
const entries = async (input: Record<string, unknown> = {}) =>
  ok<{ entries: JournalEntry[]; nextBefore: number | null }>(await core.invoke('journal.list', input))
async function liveKeys(tenant: string): Promise<ApiKey[]> {
  const all = ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant }))
  return all.keys.filter((k) => k.name !== 'keydesk-sandbox-admin' && k.revoked_at === null && k.expires_at === null)
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 3, seedKeys: 20, quiet: true })
  dataDir = mkdtempSync(join(tmpdir(), 'keydesk-journal-'))
  core = createCore({ dataDir, secretStore: secrets, logger: silentLogger, now: () => clock, timeoutMs: 2000 })
  const [a, b] = sandbox.tenants
  staging = ok<{ id: string }>(
    await core.invoke('tenants.add', { label: 'acme-staging', tenantId: a!.id, baseUrl: sandbox.url, environment: 'staging', adminKey: a!.admin_key })
  ).id
  prod = ok<{ id: string }>(
    await core.invoke('tenants.add', {
      label: 'acme-prod',
      tenantId: b!.id,
      baseUrl: sandbox.url,
      environment: 'production',
      level: 'protected',
      adminKey: b!.admin_key
    })
  ).id
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('operator journal', () => {
  it('records create, revoke with a reason, rotate and its finish, bulk (job + per key), never a secret', async () => {
    clock += 1000
    const created = ok<{ key: ApiKey; revealId: string }>(
      await core.invoke('keys.create', { tenant: staging, key: { name: 'ci-deployer', scopes: ['decisions:read'] } })
    )
    const plaintext = ok<{ plaintext: string }>(await core.invoke('secrets.reveal', { revealId: created.revealId })).plaintext
    ok(await core.invoke('keys.revoke', { tenant: staging, id: created.key.id, name: created.key.name, reason: '  leaked in a CI log  ' }))

    const [old, b1, b2] = await liveKeys(staging)
    const rotated = ok<{ created: { key: ApiKey } }>(
      await core.invoke('keys.rotate', { tenant: staging, id: old!.id, name: `${old!.name}-r2`, reason: 'quarterly' })
    )
    ok(
      await core.invoke('keys.finishRotation', {
        tenant: staging,
        oldKeyId: old!.id,
        newKeyId: rotated.created.key.id,
        revokeOld: true,
        reason: 'quarterly'
      })
    )
    const job = ok<BulkJob>(await core.invoke('bulk.revoke', { tenant: staging, ids: [b1!.id, b2!.id], reason: 'cleanup' }))
    await new Promise<void>((resolve) => {
      const poll = async () => (ok<BulkJob>(await core.invoke('bulk.status', { jobId: job.jobId })).finished ? resolve() : setTimeout(poll, 20))
      void poll()
    })

    const all = (await entries({ tenant: staging })).entries
    const actions = all.map((e) => e.action).reverse()
    expect(actions).toEqual([
      'tenant.add',
      'key.create',
      'key.revoke',
      'key.create',
      'key.rotate',
      'key.revoke',
      'bulk.job',
      'bulk.revoke',
      'bulk.revoke'
    ])
    const revoke = all.find((e) => e.action === 'key.revoke' && e.keyId === created.key.id)!
    expect(revoke).toMatchObject({
      tenantId: staging,
      tenantLabel: 'acme-staging',
      outcome: 'ok',
      keyName: 'ci-deployer',
      keyPreview: created.key.key_preview,
      reason: 'leaked in a CI log'
    })
    // The old key's panel shows its rotation and its revoke; the bulk entries carry the job.
    const forOld = ok<{ entries: JournalEntry[] }>(await core.invoke('journal.forKey', { tenant: staging, keyId: old!.id })).entries
    expect(forOld.map((e) => e.action)).toEqual(['key.revoke', 'key.rotate'])
    expect(forOld[1]!.detail).toContain(rotated.created.key.id)
    expect(forOld[0]!.keyPreview).toBe(old!.key_preview) // filled from the store when MeshQu's answer lacks it
    expect(all.filter((e) => e.action === 'bulk.revoke').every((e) => e.jobId === job.jobId && e.reason === 'cleanup' && e.keyPreview)).toBe(true)

    // No secret anywhere in the journal: neither the plaintext nor any admin key.
    const db = await openStoreCopy()
    const dump = JSON.stringify(db.prepare('SELECT * FROM journal').all())
    expect(dump).not.toContain(plaintext)
    for (const t of sandbox.tenants) expect(dump).not.toContain(t.admin_key)
  }, 30_000)

  it('requires a reason for production tenants once the setting is on, in main', async () => {
    const [k] = await liveKeys(prod)
    ok(await core.invoke('settings.update', { requireReasonInProduction: true }))
    const refused = await core.invoke('keys.revoke', { tenant: prod, id: k!.id, reason: '   ' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { reason: expect.any(String) } } })
    expect(await core.invoke('bulk.revoke', { tenant: prod, ids: [k!.id] })).toMatchObject({
      ok: false,
      error: { fields: { reason: expect.any(String) } }
    })
    expect(await core.invoke('keys.rotate', { tenant: prod, id: k!.id, name: 'x-r2' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    // Not for other environments, and a reason satisfies it.
    const [s] = await liveKeys(staging)
    ok(await core.invoke('keys.revoke', { tenant: staging, id: s!.id }))
    ok(await core.invoke('keys.revoke', { tenant: prod, id: k!.id, reason: 'incident 42' }))
    expect(await core.invoke('keys.revoke', { tenant: prod, id: k!.id, reason: 'x'.repeat(501) })).toMatchObject({
      ok: false,
      error: { fields: { reason: expect.any(String) } }
    })
    ok(await core.invoke('settings.update', { requireReasonInProduction: false }))
  })

  it('records a failure with its code, an unknown outcome, and its later settlement referring to it', async () => {
    const failed = await core.invoke('keys.revoke', { tenant: staging, id: 'no-such-key' })
    expect(failed).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect((await entries({ tenant: staging, actions: ['key.revoke'], limit: 1 })).entries[0]).toMatchObject({
      keyId: 'no-such-key',
      outcome: 'failed',
      errorCode: 'NOT_FOUND'
    })

    const [target] = await liveKeys(staging)
    sandbox.control.setFaults({ drop_connections: 1 })
    expect(await core.invoke('keys.revoke', { tenant: staging, id: target!.id, name: target!.name })).toMatchObject({
      ok: false,
      error: { outcome: 'unknown' }
    })
    sandbox.control.clearFaults()
    const unknown = (await entries({ tenant: staging, actions: ['key.revoke'], limit: 1 })).entries[0]!
    expect(unknown).toMatchObject({ keyId: target!.id, outcome: 'unknown', errorCode: 'OFFLINE' })
    expect(unknown.detail).toContain('may not have been applied')
    ok(await core.invoke('keys.listAll', { tenant: staging }))
    const settlement = (await entries({ tenant: staging, actions: ['settlement'] })).entries[0]!
    expect(settlement).toMatchObject({ refSeq: unknown.seq, outcome: 'not-applied', keyId: target!.id })
  }, 30_000)

  it("records admin-key replacement and tenant removal without the key, and keeps the removed tenant's entries", async () => {
    const [a] = sandbox.tenants
    const refused = await core.invoke('tenants.update', { tenant: staging, adminKey: 'mqu_live_wrongwrongwrong1234' })
    expect(refused.ok).toBe(false)
    ok(await core.invoke('tenants.update', { tenant: staging, adminKey: a!.admin_key }))
    const replaced = (await entries({ tenant: staging, actions: ['tenant.adminKey'] })).entries
    expect(replaced.map((e) => e.outcome)).toEqual(['ok', 'failed'])
    expect(replaced[1]!.errorCode).toBe('UNAUTHORIZED')
    const extra = ok<{ id: string }>(
      await core.invoke('tenants.add', {
        label: 'short-lived',
        tenantId: sandbox.tenants[2]!.id,
        baseUrl: sandbox.url,
        environment: 'development',
        adminKey: sandbox.tenants[2]!.admin_key
      })
    ).id
    ok(await core.invoke('tenants.remove', { tenant: extra }))
    expect((await entries({ tenant: extra })).entries.map((e) => [e.action, e.tenantLabel])).toEqual([
      ['tenant.remove', 'short-lived'],
      ['tenant.add', 'short-lived']
    ])
    const dump = JSON.stringify((await entries({ limit: 500 })).entries)
    for (const t of sandbox.tenants) expect(dump).not.toContain(t.admin_key)
    expect(dump).not.toContain('mqu_live_wrongwrongwrong1234')
  })

  it('filters by action and time, pages by cursor, and exports formula-safe CSV and JSON', async () => {
    ok(await core.invoke('keys.create', { tenant: staging, key: { name: '=HYPERLINK("x")', scopes: ['decisions:read'] } }))
    const page1 = await entries({ limit: 3 })
    expect(page1.entries).toHaveLength(3)
    const page2 = await entries({ limit: 3, before: page1.nextBefore })
    expect(page2.entries[0]!.seq).toBeLessThan(page1.entries[2]!.seq)
    expect((await entries({ from: clock + 1 })).entries).toEqual([])
    expect((await entries({ actions: ['tenant.add'] })).entries.every((e) => e.action === 'tenant.add')).toBe(true)

    const csv = ok<{ content: string; mimeType: string; count: number }>(
      await core.invoke('journal.export', { format: 'csv', tenant: staging, actions: ['key.create'] })
    )
    expect(csv.mimeType).toBe('text/csv')
    expect(csv.content.split('\r\n')[0]).toMatch(/^seq,time,tenantLabel/)
    expect(csv.content).toContain(`"'=HYPERLINK(""x"")"`)
    expect(csv.content).not.toMatch(/(^|,)=HYPERLINK/m)
    const json = JSON.parse(ok<{ content: string }>(await core.invoke('journal.export', { format: 'json', tenant: staging })).content) as {
      entries: JournalEntry[]
    }
    expect(json.entries.length).toBeGreaterThan(5)
  })

  it('detects an edit to a row made through SQLite and names the broken entry', async () => {
    expect(ok<JournalVerify>(await core.invoke('journal.verify', {}))).toMatchObject({ intact: true, broken: [] })
    const db = await openStoreCopy(false)
    const victim = db.prepare("SELECT seq FROM journal WHERE reason = 'leaked in a CI log'").get() as { seq: number }
    db.prepare('UPDATE journal SET reason = ? WHERE seq = ?').run('routine', victim.seq)
    expect(ok<JournalVerify>(await core.invoke('journal.verify', {}))).toMatchObject({
      intact: false,
      broken: [{ seq: victim.seq, problem: 'hash' }]
    })
    db.prepare('UPDATE journal SET reason = ? WHERE seq = ?').run('leaked in a CI log', victim.seq)
    expect(ok<JournalVerify>(await core.invoke('journal.verify', {})).intact).toBe(true)
    db.prepare('DELETE FROM journal WHERE seq = ?').run(victim.seq)
    expect(ok<JournalVerify>(await core.invoke('journal.verify', {}))).toMatchObject({
      intact: false,
      broken: [{ seq: victim.seq + 1, problem: 'link' }]
    })
    // There is no channel to edit or delete an entry.
    expect(await core.invoke('journal.delete', { seq: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })
})

/** A second connection to the same encrypted store, with the data key from the (memory) keychain. */
async function openStoreCopy(readonly = true) {
  const key = await secrets.get(STORE_KEY_ACCOUNT)
  expect(key).toBeTruthy()
  expect(readdirSync(dataDir)).toContain('keydesk.db')
  expect(readFileSync(join(dataDir, 'keydesk.db')).includes('leaked in a CI log')).toBe(false)
  const store = createFleetStore({
    path: join(dataDir, 'keydesk.db'),
    dataKey: async () => Buffer.from(key!, 'base64'),
    log: silentLogger,
    now: () => clock
  })
  const db = await store.database()
  if (readonly) db.pragma('query_only = 1')
  return db
}
