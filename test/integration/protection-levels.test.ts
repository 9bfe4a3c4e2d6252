import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import { startWebServer } from '../../src/main/web/server'
import type { Reply } from '../../src/shared/envelope'
import type { ApiKey } from '../../src/shared/meshqu'
import type { JournalEntry } from '../../src/shared/journal'
import type { Unlock } from '../../src/shared/tenants'
import { PROFILES_FILE } from '../../src/main/core/tenants/profile-store'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let web: Awaited<ReturnType<typeof startWebServer>>
let dataDir: string
// The core's clock starts at the real time (the sandbox refuses an expiry in its past) and is
// moved forward, never back, to make unlocks end.
let clock = Date.now()
/** An expiry inside production's default policy (at most 90 days) and in the sandbox's future. */
const SOON = new Date(clock + 30 * 86_400_000).toISOString()
const secrets = createMemorySecretStore()
let prod: string
let staging: string

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
const codeOf = (r: Reply<unknown>) => (r.ok ? 'ok' : r.error.code)
const minutes = (n: number) => n * 60_000

/** A call as the web preview's renderer sends it: over HTTP, with the session token. */
async function overWeb(channel: string, payload: unknown): Promise<Reply<unknown>> {
  const res = await fetch(`${web.origin}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: web.origin, authorization: `Bearer ${web.token}` },
    body: JSON.stringify({ channel, payload })
  })
  return (await res.json()) as Reply<unknown>
}

async function liveKey(tenant: string): Promise<ApiKey> {
  const all = ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant }))
  return all.keys.find(
    (k) =>
      k.revoked_at === null &&
      k.is_active &&
      !k.name.includes('admin') &&
      (k.expires_at === null || Date.parse(k.expires_at) > clock + minutes(60 * 24))
  )!
}
const journal = async (action: string) => ok<{ entries: JournalEntry[] }>(await core.invoke('journal.list', { actions: [action] })).entries

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 20, quiet: true })
  dataDir = mkdtempSync(join(tmpdir(), 'keydesk-levels-'))
  core = createCore({ dataDir, secretStore: secrets, logger: silentLogger, now: () => clock, timeoutMs: 2000, unlockSweepMs: 20 })
  const rendererDir = mkdtempSync(join(tmpdir(), 'keydesk-levels-web-'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>KeyDesk</title>')
  mkdirSync(join(rendererDir, 'assets'))
  web = await startWebServer({ core, rendererDir, log: silentLogger })
  const [a, b] = sandbox.tenants
  prod = ok<{ id: string; level: string }>(
    await core.invoke('tenants.add', { label: 'acme-prod', tenantId: a!.id, baseUrl: sandbox.url, environment: 'production', adminKey: a!.admin_key })
  ).id
  staging = ok<{ id: string }>(
    await core.invoke('tenants.add', { label: 'acme-staging', tenantId: b!.id, baseUrl: sandbox.url, environment: 'staging', adminKey: b!.admin_key })
  ).id
})
afterAll(async () => {
  await web?.close()
  // `core` may be a restarted one by now (the on-disk test); the web server's is disposed there.
  await core?.dispose()
  await sandbox?.close()
})

describe('protection levels', () => {
  it('defaults by environment: production read-only, staging protected', async () => {
    const { tenants } = ok<{ tenants: { id: string; level: string }[] }>(await core.invoke('tenants.list', {}))
    expect(Object.fromEntries(tenants.map((t) => [t.id, t.level]))).toEqual({ [prod]: 'read-only', [staging]: 'protected' })
  })

  it('main refuses every write on a locked read-only tenant over the web transport, and sends nothing', async () => {
    const key = await liveKey(prod)
    const writes: [string, unknown][] = [
      ['keys.create', { tenant: prod, key: { name: 'sneaky', scopes: ['decisions:read'], expires_at: SOON } }],
      ['keys.revoke', { tenant: prod, id: key.id, name: key.name, reason: 'r' }],
      ['keys.rotate', { tenant: prod, id: key.id, name: `${key.name}-2`, reason: 'r' }],
      ['keys.finishRotation', { tenant: prod, oldKeyId: key.id, newKeyId: 'n', revokeOld: true, reason: 'r' }],
      ['bulk.revoke', { tenant: prod, ids: [key.id], reason: 'r' }],
      ['bulk.revokeAcross', { items: [{ tenant: prod, id: key.id }], reason: 'r' }],
      ['schedule.revoke', { tenant: prod, keyId: key.id, keyName: key.name, at: clock + minutes(60), reason: 'r' }]
    ]
    for (const [channel, payload] of writes) {
      const r = await overWeb(channel, payload)
      expect([channel, codeOf(r)]).toEqual([channel, 'READ_ONLY'])
    }
    // Nothing reached MeshQu: the key is still live, no key was created.
    const after = ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant: prod })).keys
    expect(after.find((k) => k.id === key.id)?.revoked_at).toBeNull()
    expect(after.some((k) => k.name === 'sneaky')).toBe(false)
    // Reads and writes elsewhere go on.
    expect(codeOf(await overWeb('keys.create', { tenant: staging, key: { name: 'fine', scopes: ['decisions:read'], expires_at: SOON } }))).toBe('ok')
  })

  it('an unlock allows writes for that tenant only, journaled with its reason, and ends on time', async () => {
    const started = ok<{ unlocks: Unlock[] }>(await overWeb('unlock.start', { tenants: [prod], reason: 'incident 42', minutes: 5 }))
    expect(started.unlocks[0]).toMatchObject({ tenant: prod, reason: 'incident 42', until: clock + minutes(5) })
    expect(codeOf(await overWeb('keys.create', { tenant: prod, key: { name: 'during-unlock', scopes: ['decisions:read'], expires_at: SOON } }))).toBe(
      'ok'
    )
    // Only read-only tenants unlock; a staging tenant has nothing to unlock.
    expect(codeOf(await overWeb('unlock.start', { tenants: [staging], reason: 'x', minutes: 5 }))).toBe('VALIDATION')
    // No other duration than 5, 15 or 30 minutes, and never without a reason.
    expect(codeOf(await overWeb('unlock.start', { tenants: [prod], reason: 'x', minutes: 60 }))).toBe('VALIDATION')
    expect(codeOf(await overWeb('unlock.start', { tenants: [prod], reason: '  ', minutes: 5 }))).toBe('VALIDATION')

    clock += minutes(5)
    expect(codeOf(await overWeb('keys.create', { tenant: prod, key: { name: 'too-late', scopes: ['decisions:read'], expires_at: SOON } }))).toBe(
      'READ_ONLY'
    )
    expect(ok<{ unlocks: Unlock[] }>(await core.invoke('unlock.list', {})).unlocks).toEqual([])
    const [unlock] = await journal('tenant.unlock')
    const [lock] = await journal('tenant.lock')
    expect([unlock!.reason, unlock!.detail]).toEqual(['incident 42', 'Writes unlocked for 5 minutes.'])
    expect([lock!.reason, lock!.detail, lock!.tenantId]).toEqual(['incident 42', 'Writes locked again: its time was up.', prod])
  })

  it('ends after 10 minutes idle; activity and writes keep it alive; Lock now ends it at once', async () => {
    ok(await core.invoke('unlock.start', { tenants: [prod], reason: 'long job', minutes: 30 }))
    clock += minutes(9)
    ok(await core.invoke('unlock.activity', {}))
    clock += minutes(9)
    // 18 minutes in, never 10 idle: still unlocked.
    expect(
      codeOf(await core.invoke('keys.create', { tenant: prod, key: { name: 'still-unlocked', scopes: ['decisions:read'], expires_at: SOON } }))
    ).toBe('ok')
    clock += minutes(10)
    expect(codeOf(await core.invoke('keys.create', { tenant: prod, key: { name: 'idle', scopes: ['decisions:read'], expires_at: SOON } }))).toBe(
      'READ_ONLY'
    )
    expect((await journal('tenant.lock'))[0]!.detail).toBe('Writes locked again: nothing was done for 10 minutes.')

    ok(await core.invoke('unlock.start', { tenants: [prod], reason: 'quick', minutes: 15 }))
    expect(ok<{ ended: boolean }>(await core.invoke('unlock.end', { tenant: prod })).ended).toBe(true)
    expect(
      codeOf(await core.invoke('keys.create', { tenant: prod, key: { name: 'after-lock', scopes: ['decisions:read'], expires_at: SOON } }))
    ).toBe('READ_ONLY')
    expect((await journal('tenant.lock'))[0]!.detail).toBe('Writes locked again: locked by the operator (Lock now).')
  })

  it('an ended unlock is journaled on time by main, without any call', async () => {
    ok(await core.invoke('unlock.start', { tenants: [prod], reason: 'timer', minutes: 5 }))
    const before = (await journal('tenant.lock')).length
    clock += minutes(6)
    await new Promise((r) => setTimeout(r, 200))
    const locks = await journal('tenant.lock')
    expect(locks.length).toBe(before + 1)
    expect([locks[0]!.reason, locks[0]!.detail]).toEqual(['timer', 'Writes locked again: its time was up.'])
  })

  it('a bulk preview names the locked tenants; a bulk across tenants with one is refused whole', async () => {
    const p = await liveKey(prod)
    const s = await liveKey(staging)
    const items = [
      { tenant: prod, id: p.id },
      { tenant: staging, id: s.id }
    ]
    const preview = ok<{ tenants: { label: string; locked: boolean }[] }>(await core.invoke('bulk.preview', { items }))
    expect(preview.tenants.map((t) => [t.label, t.locked])).toEqual([
      ['acme-prod', true],
      ['acme-staging', false]
    ])
    const refused = await core.invoke('bulk.revokeAcross', { items, reason: 'r' })
    expect(codeOf(refused)).toBe('READ_ONLY')
    expect(!refused.ok && refused.error.message).toContain('acme-prod')
    // Several tenants unlock with one reason.
    ok(await core.invoke('unlock.start', { tenants: [prod], reason: 'one reason for all', minutes: 5 }))
    const again = ok<{ tenants: { locked: boolean }[] }>(await core.invoke('bulk.preview', { items }))
    expect(again.tenants.map((t) => t.locked)).toEqual([false, false])
    ok(await core.invoke('unlock.end', { tenant: prod }))
  })

  it('quitting ends every unlock, journaled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-levels-quit-'))
    const s2 = createMemorySecretStore()
    const c2 = createCore({ dataDir: dir, secretStore: s2, logger: silentLogger, now: () => clock, timeoutMs: 2000 })
    const t = sandbox.tenants[0]!
    const id = ok<{ id: string }>(
      await c2.invoke('tenants.add', {
        label: 'q-prod',
        tenantId: t.id,
        baseUrl: sandbox.url,
        environment: 'production',
        adminKey: t.admin_key,
        skipVerify: true
      })
    ).id
    ok(await c2.invoke('unlock.start', { tenants: [id], reason: 'before quit', minutes: 30 }))
    await c2.dispose()
    const c3 = createCore({ dataDir: dir, secretStore: s2, logger: silentLogger, now: () => clock, timeoutMs: 2000 })
    const locks = ok<{ entries: JournalEntry[] }>(await c3.invoke('journal.list', { actions: ['tenant.lock'] })).entries
    expect(locks.map((e) => [e.reason, e.detail])).toEqual([['before quit', 'Writes locked again: KeyDesk quit.']])
    // Nothing carried over the restart.
    expect(ok<{ unlocks: Unlock[] }>(await c3.invoke('unlock.list', {})).unlocks).toEqual([])
    expect(codeOf(await c3.invoke('keys.create', { tenant: id, key: { name: 'x', scopes: ['decisions:read'], expires_at: SOON } }))).toBe('READ_ONLY')
    await c3.dispose()
  })

  it('lowering the level in profiles.json on disk lowers nothing: main refuses, the keychain copy stands', async () => {
    // Another program edits the file while KeyDesk is closed; KeyDesk starts again on it.
    await core.dispose()
    const path = join(dataDir, PROFILES_FILE)
    const original = readFileSync(path, 'utf8')
    const file = JSON.parse(original) as { profiles: { id: string; level?: string; environment: string }[] }
    for (const p of file.profiles) if (p.id === prod) p.level = 'open'
    writeFileSync(path, JSON.stringify(file))
    const restart = () => createCore({ dataDir, secretStore: secrets, logger: silentLogger, now: () => clock, timeoutMs: 2000 })
    core = restart()
    const listed = ok<{ tenants: { id: string; level: string }[] }>(await core.invoke('tenants.list', {}))
    expect(listed.tenants.find((t) => t.id === prod)?.level).toBe('open')
    const r = await core.invoke('keys.create', { tenant: prod, key: { name: 'tampered', scopes: ['decisions:read'], expires_at: SOON } })
    expect(codeOf(r)).toBe('READ_ONLY')
    // A read sends no key either: the file no longer says what the key was confirmed for.
    const read = await core.invoke('keys.list', { tenant: prod })
    expect(codeOf(read)).toBe('SETTINGS_CHANGED')
    expect(!read.ok && read.error.message).toContain('protection level is now open, confirmed as read-only')
    // Lowering it again through KeyDesk's own Save still asks for the label and a reason.
    expect(codeOf(await core.invoke('tenants.update', { tenant: prod, level: 'open' }))).toBe('VALIDATION')

    await core.dispose()
    writeFileSync(path, original)
    core = restart()
    expect(codeOf(await core.invoke('keys.list', { tenant: prod }))).toBe('ok')
  })

  it('moving a tenant off production or lowering its level needs the label typed and a reason, journaled', async () => {
    const bare = await core.invoke('tenants.update', { tenant: prod, environment: 'staging' })
    expect(codeOf(bare)).toBe('VALIDATION')
    expect(!bare.ok && Object.keys(bare.error.fields ?? {})).toEqual(['confirmLabel'])
    const noReason = await core.invoke('tenants.update', { tenant: prod, level: 'protected', confirmLabel: 'acme-prod' })
    expect(!noReason.ok && Object.keys(noReason.error.fields ?? {})).toEqual(['reason'])
    // Raising needs nothing.
    ok(await core.invoke('tenants.update', { tenant: staging, level: 'read-only' }))
    const lowered = ok<{ level: string }>(
      await core.invoke('tenants.update', { tenant: prod, level: 'protected', confirmLabel: 'acme-prod', reason: 'maintenance window' })
    )
    expect(lowered.level).toBe('protected')
    const [entry] = await journal('tenant.protection')
    expect([entry!.reason, entry!.detail]).toEqual(['maintenance window', 'Protection read-only → protected.'])
    // Writes now go through without an unlock, and the keychain's copy followed (no SETTINGS_CHANGED).
    expect(
      codeOf(await core.invoke('keys.create', { tenant: prod, key: { name: 'protected-now', scopes: ['decisions:read'], expires_at: SOON } }))
    ).toBe('ok')
    ok(await core.invoke('tenants.update', { tenant: prod, environment: 'staging', confirmLabel: 'acme-prod', reason: 'was mislabelled' }))
    expect((await journal('tenant.protection'))[0]!.detail).toBe('Environment production → staging.')
  })
})
