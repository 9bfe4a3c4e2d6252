import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src/sandbox'
import { createCore, type Core, type CoreOptions } from '../../../src/main/core'
import { createFleetStore } from '../../../src/main/core/store/fleet-store'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import { STORE_ANCHOR_ACCOUNT, STORE_KEY_ACCOUNT } from '../../../src/main/core/store/data-key'
import { silentLogger } from '../../../src/main/core/log'
import type { SecretStore } from '../../../src/main/core/tenants/secret-store'
import type { Reply } from '../../../src/shared/envelope'
import type { ApiKey } from '../../../src/shared/meshqu'
import type { StoreStatus } from '../../../src/shared/contract'
import type { JournalVerify } from '../../../src/shared/journal'
import type { ScheduledRevoke } from '../../../src/shared/schedule'

/**
 * The fleet store's trust roots: what someone who can edit the data dir (but not the keychain)
 * can no longer do unseen. Real encrypted store on its own thread, real sandbox over HTTP.
 */
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
const HOUR = 3_600_000
let sandbox: Sandbox
let clock = Date.parse('2026-11-23T12:00:00Z')
const SIDE = ['', '-wal', '-shm']

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
const options = (dataDir: string, secretStore: SecretStore): CoreOptions => ({
  dataDir,
  secretStore,
  logger: silentLogger,
  now: () => clock,
  timeoutMs: 2000,
  scheduleCheckMs: 20,
  expiryCheckEveryMs: false
})
const status = async (core: Core) => ok<StoreStatus>(await core.invoke('store.status', {}))
const verify = async (core: Core) => ok<JournalVerify>(await core.invoke('journal.verify', {}))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function copyStore(from: string, to: string) {
  for (const s of SIDE) {
    rmSync(join(to, `keydesk.db${s}`), { force: true })
    if (existsSync(join(from, `keydesk.db${s}`))) cpSync(join(from, `keydesk.db${s}`), join(to, `keydesk.db${s}`))
  }
}

async function createKey(core: Core, tenant: string, name: string): Promise<ApiKey> {
  const made = ok<{ key: ApiKey; revealId: string }>(
    await core.invoke('keys.create', { tenant, key: { name, scopes: ['decisions:read'], expires_at: null } })
  )
  ok(await core.invoke('secrets.discard', { revealId: made.revealId }))
  return made.key
}

async function withTenant(core: Core, i = 0): Promise<string> {
  const t = sandbox.tenants[i]!
  return ok<{ id: string }>(
    await core.invoke('tenants.add', { label: `trust-${i}`, tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
  ).id
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 10, quiet: true })
})
afterAll(async () => {
  await sandbox?.close()
})

describe('fleet store trust: rollback', () => {
  it('an older copy of keydesk.db is flagged, verify is not intact and a cancelled revoke does not fire', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
    const backup = mkdtempSync(join(tmpdir(), 'keydesk-trust-backup-'))
    const secrets = createMemorySecretStore()
    let core = createCore(options(dataDir, secrets))
    const tenant = await withTenant(core)
    const key = (ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant })).keys as ApiKey[]).find(
      (k) => k.name !== 'keydesk-sandbox-admin' && k.revoked_at === null && k.expires_at === null
    )!
    const s = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: key.id, in: '1h' }))
    await core.dispose()
    copyStore(dataDir, backup)

    core = createCore(options(dataDir, secrets))
    ok(await core.invoke('schedule.cancel', { id: s.id }))
    expect(await verify(core)).toMatchObject({ intact: true })
    await core.dispose()

    // Someone restores the older copy: no data key needed for that.
    copyStore(backup, dataDir)
    clock += 2 * HOUR
    core = createCore(options(dataDir, secrets))
    const checked = await verify(core)
    expect(checked.intact).toBe(false)
    expect(checked.incidents).toEqual([expect.objectContaining({ kind: 'rolled-back' })])
    const st = await status(core)
    expect(st.incidents).toEqual([expect.objectContaining({ kind: 'rolled-back' })])
    expect(st.schedulesHeld).toMatch(/older copy|held/i)
    // The runner checks every 20 ms: give it many chances, then the key must still be live.
    await sleep(500)
    const live = ok<ApiKey>(await core.invoke('keys.get', { tenant, id: key.id }))
    expect(live.revoked_at).toBeNull()
    // Still flagged after a restart, until the operator acknowledges it.
    await core.dispose()
    core = createCore(options(dataDir, secrets))
    expect((await status(core)).incidents).toHaveLength(1)
    const after = ok<StoreStatus>(await core.invoke('store.acknowledge', { ids: st.incidents.map((i) => i.id) }))
    expect(after.incidents).toEqual([])
    expect(after.schedulesHeld).toBeNull()
    await core.dispose()
  })

  it('a crash between the commit and the keychain write is not a false alarm', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
    const secrets = createMemorySecretStore()
    let core = createCore(options(dataDir, secrets))
    const tenant = await withTenant(core)
    await sleep(100)
    const anchorBefore = await secrets.get(STORE_ANCHOR_ACCOUNT)
    expect(anchorBefore).toBeTruthy()
    await createKey(core, tenant, 'after-the-anchor')
    await core.dispose()
    // The keychain never got the newest head (KeyDesk died right after SQLite's commit).
    await secrets.set(STORE_ANCHOR_ACCOUNT, anchorBefore!)
    core = createCore(options(dataDir, secrets))
    expect(await verify(core)).toMatchObject({ intact: true, incidents: [] })
    expect((await status(core)).incidents).toEqual([])
    await core.dispose()
  })
})

describe('fleet store trust: a file the key cannot open', () => {
  it('one flipped byte: the file is kept, the store refuses with a reason; "start a new store" sets it aside, reported until acknowledged', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
    const secrets = createMemorySecretStore()
    let core = createCore(options(dataDir, secrets))
    await withTenant(core)
    await core.dispose()
    const path = join(dataDir, 'keydesk.db')
    const bytes = readFileSync(path)
    bytes[200] = bytes[200]! ^ 0x01
    writeFileSync(path, bytes)

    core = createCore(options(dataDir, secrets))
    expect(await core.invoke('journal.verify', {})).toMatchObject({ ok: false, error: { code: 'STORE_UNREADABLE' } })
    const st = await status(core)
    expect(st).toMatchObject({ state: 'unavailable', problem: 'unreadable', reason: { code: 'STORE_UNREADABLE' } })
    expect(readFileSync(path).equals(bytes)).toBe(true)
    expect(readdirSync(dataDir).some((f) => f.includes('unreadable'))).toBe(false)
    await core.dispose()

    // A restart changes nothing: still refused, still the same file.
    core = createCore(options(dataDir, secrets))
    expect(await status(core)).toMatchObject({ state: 'unavailable', problem: 'unreadable' })
    const fresh = ok<StoreStatus>(await core.invoke('store.startNew', {}))
    expect(fresh.state).toBe('open')
    expect(fresh.incidents).toEqual([expect.objectContaining({ kind: 'set-aside' })])
    expect(readdirSync(dataDir).some((f) => /^keydesk\.db\.unreadable-/.test(f))).toBe(true)
    expect(await verify(core)).toMatchObject({ intact: false, checked: 0, incidents: [expect.objectContaining({ kind: 'set-aside' })] })
    await core.dispose()

    core = createCore(options(dataDir, secrets))
    const again = await status(core)
    expect(again.incidents).toEqual([expect.objectContaining({ kind: 'set-aside' })])
    expect(ok<StoreStatus>(await core.invoke('store.acknowledge', { ids: again.incidents.map((i) => i.id) })).incidents).toEqual([])
    expect(await verify(core)).toMatchObject({ intact: true })
    await core.dispose()
  })

  it('a store from a newer KeyDesk is kept as it is, with its schedules, and the store refuses', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
    const secrets = createMemorySecretStore()
    let core = createCore(options(dataDir, secrets))
    const tenant = await withTenant(core)
    const key = ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant })).keys.find(
      (k) => k.revoked_at === null && k.name !== 'keydesk-sandbox-admin'
    )!
    ok(await core.invoke('schedule.revoke', { tenant, keyId: key.id, in: '7d' }))
    await core.dispose()
    const raw = new Database(join(dataDir, 'keydesk.db'))
    raw.pragma(`cipher = 'sqlcipher'`)
    raw.pragma(`key = "x'${Buffer.from((await secrets.get(STORE_KEY_ACCOUNT))!, 'base64').toString('hex')}'"`)
    raw.pragma('user_version = 99')
    raw.close()

    core = createCore(options(dataDir, secrets))
    expect(await status(core)).toMatchObject({ state: 'unavailable', problem: 'newer', reason: { code: 'STORE_UNREADABLE' } })
    expect(readdirSync(dataDir).filter((f) => f.startsWith('keydesk.db'))).toEqual(['keydesk.db'])
    await core.dispose()
    const check = new Database(join(dataDir, 'keydesk.db'))
    check.pragma(`cipher = 'sqlcipher'`)
    check.pragma(`key = "x'${Buffer.from((await secrets.get(STORE_KEY_ACCOUNT))!, 'base64').toString('hex')}'"`)
    expect(check.prepare("SELECT count(*) AS n FROM scheduled_revokes WHERE state = 'scheduled'").get()).toEqual({ n: 1 })
    check.close()
  })
})

describe('fleet store trust: the data key', () => {
  it('a keychain value that is not a 32-byte key is an error the UI explains, never overwritten', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
    const secrets = createMemorySecretStore({ [STORE_KEY_ACCOUNT]: Buffer.alloc(16, 1).toString('base64') })
    const core = createCore(options(dataDir, secrets))
    expect(await core.invoke('fleet.counts', {})).toMatchObject({ ok: false, error: { code: 'STORE_UNREADABLE' } })
    expect(await status(core)).toMatchObject({ state: 'unavailable', problem: 'key-damaged' })
    expect(await secrets.get(STORE_KEY_ACCOUNT)).toBe(Buffer.alloc(16, 1).toString('base64'))
    expect(existsSync(join(dataDir, 'keydesk.db'))).toBe(false)
    await core.dispose()
  })
})

describe('fleet store trust: the legacy import', () => {
  const profile = '6f1c2c9e-0d7a-4a57-9a39-1f6f1c9b8e01'
  const legacyKey = Buffer.alloc(32, 7)

  it('runs once, is recorded in the store and deletes what it imported; files put back later are ignored', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
    const fixture = join(__dirname, '../../fixtures/legacy-cache')
    cpSync(fixture, join(dataDir, 'cache'), { recursive: true })
    cpSync(join(fixture, 'rotations.json'), join(dataDir, 'rotations.json'))
    const secrets = createMemorySecretStore({ [STORE_KEY_ACCOUNT]: legacyKey.toString('base64') })
    let core = createCore(options(dataDir, secrets))
    expect(ok<{ tenants: unknown[] }>(await core.invoke('fleet.counts', {})).tenants).toBeDefined()
    await core.dispose()
    expect(readdirSync(dataDir).filter((f) => f.startsWith('cache') || f.startsWith('rotations'))).toEqual([])

    const store = () => createFleetStore({ path: join(dataDir, 'keydesk.db'), dataKey: async () => legacyKey, log: silentLogger, now: () => clock })
    let s = store()
    expect((await s.keysOf(profile))!.keys).toHaveLength(3)
    // The tenant syncs: one key now. Then someone puts the old snapshot and a hand-written reminder file back.
    await s.syncKeys(profile, [(await s.keysOf(profile))!.keys[0]!], clock + 1)
    await s.close()
    cpSync(fixture, join(dataDir, 'cache'), { recursive: true })
    writeFileSync(
      join(dataDir, 'rotations.json'),
      JSON.stringify({ version: 1, pending: [{ tenant: profile, oldKeyId: 'x', newKeyId: 'y', rotatedAt: clock }] })
    )
    core = createCore(options(dataDir, secrets))
    ok(await core.invoke('fleet.counts', {}))
    await core.dispose()
    s = store()
    expect((await s.keysOf(profile))!.keys).toHaveLength(1)
    expect((await s.rotations.list(profile)).map((r) => r.oldKeyId)).not.toContain('x')
    await s.close()
  })
})

describe('fleet store trust: text the journal hashes', () => {
  it('a lone surrogate in a key name from the server does not break verify', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
    const secrets = createMemorySecretStore()
    const core = createCore(options(dataDir, secrets))
    const tenant = await withTenant(core, 1)
    const made = await createKey(core, tenant, 'svc-\ud800')
    // Cleaned as it entered KeyDesk (a server's texts are made well-formed on entry), and hashed as stored.
    expect(made.name).toBe('svc-\ufffd')
    expect(await verify(core)).toMatchObject({ intact: true, broken: [] })
    await core.dispose()
  })

  it('verify lists every broken entry, not only the first', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
    const secrets = createMemorySecretStore()
    const core = createCore(options(dataDir, secrets))
    const tenant = await withTenant(core, 1)
    for (const name of ['a', 'b', 'c', 'd']) await createKey(core, tenant, `chain-${name}`)
    const key = Buffer.from((await secrets.get(STORE_KEY_ACCOUNT))!, 'base64')
    const raw = createFleetStore({ path: join(dataDir, 'keydesk.db'), dataKey: async () => key, log: silentLogger, now: () => clock })
    const db = await raw.database()
    const seqs = (db.prepare('SELECT seq FROM journal ORDER BY seq').pluck().all() as number[]).slice(-4)
    db.prepare('UPDATE journal SET tenant_label = ? WHERE seq = ?').run('edited', seqs[0])
    db.prepare('DELETE FROM journal WHERE seq = ?').run(seqs[2])
    const checked = await verify(core)
    expect(checked.intact).toBe(false)
    expect(checked.broken).toEqual([
      { seq: seqs[0], problem: 'hash' },
      { seq: seqs[3], problem: 'link' }
    ])
    await raw.close()
    await core.dispose()
  })
})
