import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createFleetStore, type InProcessFleetStore } from '../../../src/main/core/store/fleet-store'
import { importLegacyData } from '../../../src/main/core/store/import-legacy'
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/main/core/store/schema'
import { DEFAULT_RADAR_RULES } from '../../../src/shared/radar'
import Database from 'better-sqlite3-multiple-ciphers'
import { CoreError } from '../../../src/main/core/errors'
import { silentLogger } from '../../../src/main/core/log'
import { matchesText } from '../../../src/shared/key-view'
import type { ApiKey } from '../../../src/shared/meshqu'
import { makeKey } from '../../fixtures/keys'

const NOW = Date.parse('2026-11-23T12:00:00Z')
const DAY = 24 * 60 * 60 * 1000
const iso = (ms: number) => new Date(ms).toISOString()

const opened: InProcessFleetStore[] = []
function newStore(opts: { path?: string; key?: Buffer; dataKey?: () => Promise<Buffer> } = {}) {
  const path = opts.path ?? join(mkdtempSync(join(tmpdir(), 'keydesk-store-')), 'keydesk.db')
  const key = opts.key ?? randomBytes(32)
  const store = createFleetStore({ path, dataKey: opts.dataKey ?? (async () => key), log: silentLogger, now: () => NOW })
  opened.push(store)
  return { store, path, key }
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close()
})

describe('fleet store: sync', () => {
  it('adds, rewrites only what changed, marks vanished keys and lists them back', async () => {
    const { store } = newStore()
    const v1 = [makeKey('a'), makeKey('b'), makeKey('c')]
    expect(await store.syncKeys('t1', v1, 1)).toEqual({ added: 3, changed: 0, vanished: 0, unchanged: 0 })
    const v2 = [makeKey('a'), makeKey('b', { name: 'renamed', scopes: ['api-keys:admin'] }), makeKey('d')]
    expect(await store.syncKeys('t1', v2, 2)).toEqual({ added: 1, changed: 1, vanished: 1, unchanged: 1 })
    expect(await store.keysOf('t1')).toEqual({ keys: v2, syncedAt: 2 })
    // A key that comes back is listed again; another tenant's list is untouched.
    await store.syncKeys('t2', [makeKey('a')], 3)
    expect(await store.syncKeys('t1', v1, 4)).toEqual({ added: 1, changed: 1, vanished: 1, unchanged: 1 })
    expect((await store.keysOf('t1'))!.keys.map((k) => k.id).sort()).toEqual(['a', 'b', 'c'])
    expect((await store.keysOf('t2'))!.keys).toHaveLength(1)
    expect(await store.keysOf('never-synced')).toBeNull()
    // Scopes follow the change: b is no longer admin-scoped.
    expect((await store.search({ scope: 'api-keys:admin', limit: 10 })).hits).toEqual([])
  })

  it('writes only the changed rows of a 10,000-key list with 1% changed', async () => {
    const { store } = newStore()
    const keys = Array.from({ length: 10_000 }, (_, i) => makeKey(`k${i}`))
    await store.syncKeys('t1', keys, 1)
    const db = await store.database()
    const before = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n
    const next = keys.map((k, i) => (i % 100 === 0 ? { ...k, last_used_at: iso(NOW) } : k))
    expect(await store.syncKeys('t1', next, 2)).toEqual({ added: 0, changed: 100, vanished: 0, unchanged: 9_900 })
    const written = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n - before
    // 100 updates plus their scope rows and the sync row: nowhere near 10,000.
    expect(written).toBeLessThan(500)
  })

  it('survives kill -9 in the middle of a sync: the previous list stays complete', async () => {
    const { store, path, key } = newStore()
    const before = Array.from({ length: 3000 }, (_, i) => makeKey(`a-${i}`, { name: `before-${i}` }))
    await store.syncKeys('tenant-1', before, 1)
    store.close()
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../fixtures/store-sync-child.mts')], {
      env: { ...process.env, STORE_PATH: path, STORE_KEY: key.toString('hex') },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    await new Promise<void>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('mid-transaction')) resolve()
      })
      child.on('exit', () => reject(new Error(`child ended before the transaction: ${out}`)))
    })
    child.kill('SIGKILL')
    expect(await exit).toBe('SIGKILL')
    const { store: after } = newStore({ path, key })
    const listed = await after.keysOf('tenant-1')
    expect(listed).toEqual({ keys: before, syncedAt: 1 })
    expect(after.warnings()).toEqual([])
    const db = await after.database()
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    // The search index agrees with the table after the rollback.
    expect((await after.search({ text: 'after-1', limit: 5 })).hits).toEqual([])
    expect((await after.search({ text: 'before-2999', limit: 5 })).hits).toHaveLength(1)
  })

  it('keeps unknown-outcome writes across a restart and settles them once', async () => {
    const { store, path, key } = newStore()
    await store.unknownWrites.add('t1', { kind: 'revoke', keyId: 'a', name: 'billing', at: NOW })
    await store.unknownWrites.add('t1', { kind: 'create', name: 'ci-bot', at: NOW })
    await store.unknownWrites.add('t1', { kind: 'create', name: 'never-made', at: NOW })
    store.close()
    const { store: again } = newStore({ path, key })
    const fresh = [
      makeKey('a', { name: 'billing', revoked_at: iso(NOW + 1000), is_active: false }),
      makeKey('x', { name: 'ci-bot', created_at: iso(NOW + 2000) })
    ]
    expect(await again.unknownWrites.settle('t2', fresh)).toEqual([])
    expect(await again.unknownWrites.settle('t1', fresh)).toEqual([
      'Revocation of "billing" was applied.',
      '"ci-bot" was created, but its key never reached KeyDesk and was never shown: revoke it and create a new one.',
      '"never-made" was not created.'
    ])
    expect(await again.unknownWrites.settle('t1', fresh)).toEqual([])
  })

  it('keeps rotations, rate-limit windows and the audit page, and removes a tenant whole', async () => {
    const { store } = newStore()
    await store.syncKeys('t1', [makeKey('a')], 1)
    await store.rotations.add({ tenant: 't1', oldKeyId: 'a', newKeyId: 'b', rotatedAt: 5 })
    await store.rotations.add({ tenant: 't2', oldKeyId: 'x', newKeyId: 'y', rotatedAt: 6 })
    expect(await store.rotations.list('t1')).toEqual([{ tenant: 't1', oldKeyId: 'a', newKeyId: 'b', rotatedAt: 5 }])
    await store.rotations.resolve('t1', ['a'])
    expect(await store.rotations.list('t1')).toEqual([])
    const win = (resetAt: number) => ({ resetAt, limit: 1000, requests: 3, lowestRemaining: 997, rateLimited: 0 })
    await store.saveHistory('t1', [win(NOW - 2 * 3600_000), win(NOW - 60_000)], NOW - 3600_000)
    expect(await store.history('t1')).toEqual([win(NOW - 60_000)])
    const page = { syncedAt: 9, events: [], pagination: { total: 0, limit: 50, offset: 0, has_more: false } }
    await store.saveAudit('t1', page)
    expect(await store.loadAudit('t1')).toEqual(page)
    await store.removeTenant('t1')
    expect(await store.keysOf('t1')).toBeNull()
    expect(await store.history('t1')).toEqual([])
    expect(await store.loadAudit('t1')).toBeNull()
    expect(await store.rotations.list('t2')).toHaveLength(1)
    expect((await store.search({ text: 'key-a', limit: 5 })).hits).toEqual([])
  })
})

describe('fleet store: questions across tenants', () => {
  it('counts keys per status with the same boundaries as the keys table', async () => {
    const { store } = newStore()
    await store.syncKeys(
      't1',
      [
        makeKey('active'),
        makeKey('far', { expires_at: iso(NOW + 7 * DAY + 1) }),
        makeKey('soon', { expires_at: iso(NOW + 7 * DAY) }),
        makeKey('now', { expires_at: iso(NOW) }),
        makeKey('gone', { revoked_at: iso(NOW - DAY), is_active: false }),
        makeKey('off', { is_active: false }),
        makeKey('off-later', { is_active: false, expires_at: iso(NOW + 30 * DAY) })
      ],
      11
    )
    await store.syncKeys('t2', [], 12)
    expect(await store.counts(NOW)).toEqual([
      { tenant: 't1', syncedAt: 11, active: 2, expiring: 1, expired: 1, revoked: 3 },
      { tenant: 't2', syncedAt: 12, active: 0, expiring: 0, expired: 0, revoked: 0 }
    ])
  })

  it('recounts when the clock passes an expiry boundary, and after a sync', async () => {
    const { store } = newStore()
    await store.syncKeys('t1', [makeKey('a', { expires_at: iso(NOW + 8 * DAY) }), makeKey('b', { expires_at: iso(NOW + 2 * DAY) })], 1)
    const at = async (ms: number) => (await store.counts(ms))[0]!
    expect(await at(NOW)).toMatchObject({ active: 1, expiring: 1, expired: 0 })
    expect(await at(NOW + DAY - 1)).toMatchObject({ active: 1, expiring: 1, expired: 0 })
    expect(await at(NOW + DAY)).toMatchObject({ active: 0, expiring: 2, expired: 0 })
    expect(await at(NOW + 2 * DAY)).toMatchObject({ active: 0, expiring: 1, expired: 1 })
    expect(await at(NOW + 9 * DAY)).toMatchObject({ active: 0, expiring: 0, expired: 2 })
    // Asking about an earlier time than the memo's start recounts too.
    expect(await at(NOW)).toMatchObject({ active: 1, expiring: 1, expired: 0 })
    await store.syncKeys('t1', [makeKey('a', { expires_at: iso(NOW + 8 * DAY) })], 1)
    expect(await at(NOW)).toMatchObject({ active: 1, expiring: 0, expired: 0 })
  })

  it('ranks an exact preview or id first, limits, and says when it truncated', async () => {
    const { store } = newStore()
    const keys = Array.from({ length: 30 }, (_, i) =>
      makeKey(`id-${i}`, { name: `billing-${i}`, key_preview: `mqu_live_...b${String(i).padStart(3, '0')}` })
    )
    await store.syncKeys('t1', keys.slice(0, 15), 1)
    await store.syncKeys('t2', keys.slice(15), 2)
    const exact = await store.search({ text: 'MQU_LIVE_...B027', limit: 10 })
    expect(exact.hits[0]).toMatchObject({ tenant: 't2', exact: true, syncedAt: 2, key: { id: 'id-27' } })
    const many = await store.search({ text: 'billing', limit: 10 })
    expect(many.hits).toHaveLength(10)
    expect(many.truncated).toBe(true)
    const all = await store.search({ text: 'billing', limit: 30 })
    expect(all.truncated).toBe(false)
    expect(new Set(all.hits.map((h) => h.tenant))).toEqual(new Set(['t1', 't2']))
  })

  it('searches by scope, alone or with text', async () => {
    const { store } = newStore()
    await store.syncKeys('t1', [makeKey('a', { scopes: ['api-keys:admin', 'audit:read'] }), makeKey('b', { name: 'admin-looking' })], 1)
    expect((await store.search({ scope: 'api-keys:admin', limit: 10 })).hits.map((h) => h.key.id)).toEqual(['a'])
    expect((await store.search({ text: 'key', scope: 'audit:read', limit: 10 })).hits.map((h) => h.key.id)).toEqual(['a'])
    expect((await store.search({ text: 'admin', scope: 'audit:read', limit: 10 })).hits).toEqual([])
  })

  it('treats the text literally and finds exactly what the keys table filter finds', async () => {
    const alphabet = ['a', 'b', 'c', '"', '*', '(', ')', '-', ':', ' ', 'N', 'E', 'A', 'R', '^', '.', '_', 'é']
    const str = fc.array(fc.constantFrom(...alphabet), { minLength: 0, maxLength: 12 }).map((a) => a.join(''))
    const { store } = newStore()
    let round = 0
    await fc.assert(
      fc.asyncProperty(fc.array(str, { minLength: 1, maxLength: 12 }), str, async (names, text) => {
        if (text.trim().length < 2) return
        const tenant = `t${round++}`
        const keys: ApiKey[] = names.map((name, i) => makeKey(`${tenant}-${i}`, { name }))
        await store.syncKeys(tenant, keys, 1)
        const found = await store.search({ text, limit: 1000 })
        const got = found.hits
          .filter((h) => h.tenant === tenant)
          .map((h) => h.key.id)
          .sort()
        const want = keys
          .filter((k) => matchesText(k, text))
          .map((k) => k.id)
          .sort()
        expect(got).toEqual(want)
      }),
      { numRuns: 150 }
    )
    // Named examples of FTS syntax that must be plain text.
    for (const text of ['"unbalanced', 'NEAR(a b)', 'name:billing', '-revoked', 'a* OR b', '()']) {
      await expect(store.search({ text, limit: 5 })).resolves.toHaveProperty('hits')
    }
  })
})

describe('fleet store: encryption and failure modes', () => {
  it('is unreadable without the key and no key name appears in its bytes', async () => {
    const { store, path } = newStore()
    const names = Array.from({ length: 50 }, (_, i) => `secret-service-name-${i}`)
    await store.syncKeys(
      't1',
      names.map((name, i) => makeKey(`k${i}`, { name })),
      1
    )
    // Bytes of the database and its WAL while still open, then after a checkpointing close.
    const bytes = () =>
      ['', '-wal']
        .filter((s) => existsSync(path + s))
        .map((s) => readFileSync(path + s).toString('latin1'))
        .join('')
    expect(bytes()).not.toContain('secret-service-name')
    store.close()
    expect(bytes()).not.toContain('secret-service-name')
    expect(bytes()).not.toContain('SQLite format 3')
    const Database = (await import('better-sqlite3-multiple-ciphers')).default
    const plain = new Database(path)
    expect(() => plain.prepare('SELECT * FROM keys').all()).toThrow(/not a database/)
    plain.close()
  })

  it('refuses a file the key cannot open and keeps it as it is, until Retry finds the right key', async () => {
    const { store, path, key } = newStore()
    await store.syncKeys('t1', [makeKey('a')], 1)
    store.close()
    const before = readFileSync(path)
    let current: Buffer = randomBytes(32)
    const { store: other } = newStore({ path, dataKey: async () => current })
    await expect(other.keysOf('t1')).rejects.toMatchObject({ code: 'STORE_UNREADABLE' })
    expect(other.state()).toBe('unavailable')
    expect(other.problem()).toBe('unreadable')
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(readdirSync(join(path, '..')).some((f) => f.includes('unreadable'))).toBe(false)
    // Not tried again on every call; Retry (open) does, and with the right key it opens.
    current = key
    await expect(other.keysOf('t1')).rejects.toMatchObject({ code: 'STORE_UNREADABLE' })
    expect(await other.open()).toBe(true)
    expect((await other.keysOf('t1'))!.keys.map((k) => k.id)).toEqual(['a'])
  })

  it('refuses a damaged file without moving it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keydesk-store-')), 'keydesk.db')
    writeFileSync(path, randomBytes(8192))
    const { store } = newStore({ path })
    expect(await store.open()).toBe(false)
    expect(store.problem()).toBe('unreadable')
    expect(readdirSync(join(path, '..'))).toEqual(['keydesk.db'])
  })

  it('stays closed, writing nothing, while the keychain is locked; Retry opens it once unlocked', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keydesk-store-')), 'keydesk.db')
    let locked = true
    const key = randomBytes(32)
    const { store } = newStore({
      path,
      dataKey: async () => {
        if (locked) throw new CoreError('KEYCHAIN_UNAVAILABLE', 'The keychain is locked. Unlock it and choose Retry.')
        return key
      }
    })
    await expect(store.syncKeys('t1', [makeKey('a')], 1)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    expect(store.state()).toBe('unavailable')
    expect(store.unavailableReason()).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('locked') })
    expect(existsSync(path)).toBe(false)
    locked = false
    expect(await store.open()).toBe(true)
    expect(store.state()).toBe('open')
    expect(store.unavailableReason()).toBeUndefined()
  })

  it('migrates by user_version and refuses a file from a newer KeyDesk, keeping it as it is', async () => {
    const { store, path, key } = newStore()
    const db = await store.database()
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.pragma('user_version = 99')
    store.close()
    const { store: again } = newStore({ path, key })
    expect(await again.open()).toBe(false)
    expect(again.problem()).toBe('newer')
    expect(again.unavailableReason()).toMatchObject({ code: 'STORE_UNREADABLE', message: expect.stringContaining('newer KeyDesk') })
    expect(readdirSync(join(path, '..')).filter((f) => f.includes('unreadable'))).toEqual([])
  })
})

describe('fleet store: the radar migration', () => {
  it('brings a version-1 store up to date and flags the admin keys it already held', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keydesk-store-')), 'keydesk.db')
    const key = randomBytes(32)
    // A store as the previous KeyDesk left it: schema 1, one admin-scoped key and one plain key.
    const old = new Database(path)
    old.pragma(`cipher = 'sqlcipher'`)
    old.pragma(`key = "x'${key.toString('hex')}'"`)
    MIGRATIONS[0]!(old, 0)
    old.pragma('user_version = 1')
    const insert = old.prepare(
      `INSERT INTO keys (tenant, id, name, key_preview, is_active, revoked, created_ms, expires_ms, last_used_ms, listed, first_seen, json)
       VALUES ('t1', ?, ?, ?, 1, 0, ?, NULL, ?, 1, 0, ?)`
    )
    for (const [id, scope] of [
      ['admin', 'api-keys:admin'],
      ['plain', 'decisions:read']
    ] as const) {
      const k = makeKey(id, { scopes: [scope], last_used_at: iso(NOW) })
      const { lastInsertRowid } = insert.run(id, k.name, k.key_preview, Date.parse(k.created_at), NOW, JSON.stringify(k))
      old.prepare('INSERT INTO key_scopes (key_rowid, scope) VALUES (?, ?)').run(lastInsertRowid, scope)
    }
    old.prepare('INSERT INTO tenant_sync VALUES (?, ?, ?)').run('t1', NOW, 2)
    old.close()

    const { store } = newStore({ path, key })
    expect((await store.database()).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    const radar = store.radar
    const counts = (await radar.summary([{ tenant: 't1', rules: DEFAULT_RADAR_RULES.staging, ownAdminPreview: null }], NOW)).get('t1')!
    expect(counts).toMatchObject({ syncedAt: NOW, counts: { privileged: 1 } })
    expect(await store.keysOf('t1')).toMatchObject({ keys: [expect.anything(), expect.anything()] })
  })
})

describe('fleet store: import of the per-tenant snapshots', () => {
  it('imports snapshots, audit page and rotations written by the previous KeyDesk, then deletes them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-import-'))
    cpSync(join(__dirname, '../../fixtures/legacy-cache'), join(dataDir, 'cache'), { recursive: true })
    cpSync(join(dataDir, 'cache', 'rotations.json'), join(dataDir, 'rotations.json'))
    const key = Buffer.alloc(32, 7)
    const profile = '6f1c2c9e-0d7a-4a57-9a39-1f6f1c9b8e01'
    const { store } = newStore({ path: join(dataDir, 'keydesk.db'), key })
    const result = await importLegacyData({ dataDir, store, dataKey: async () => key, log: silentLogger, now: () => NOW, firstStore: true })
    expect(result).toMatchObject({ tenants: 1, keys: 3, rotations: 1, skipped: [] })
    const cached = await store.keysOf(profile)
    expect(cached!.syncedAt).toBe(Date.parse('2026-11-01T10:00:00Z'))
    expect(cached!.keys.map((k) => k.name).sort()).toEqual(['legacy-key-1', 'legacy-key-2', 'legacy-key-3'])
    expect((await store.loadAudit(profile))!.events).toHaveLength(1)
    expect(await store.history(profile)).toHaveLength(1)
    expect(await store.rotations.list(profile)).toHaveLength(1)
    expect((await store.counts(NOW))[0]).toMatchObject({ active: 2, revoked: 1 })
    const left = readdirSync(dataDir)
    expect(left).not.toContain('cache')
    expect(left).not.toContain('rotations.json')
    expect(left.some((f) => f.startsWith('cache.'))).toBe(false)
    expect(await store.legacy.importedAt()).toBe(NOW)
    // Put back, it is not read the second time.
    cpSync(join(__dirname, '../../fixtures/legacy-cache'), join(dataDir, 'cache'), { recursive: true })
    expect(await importLegacyData({ dataDir, store, dataKey: async () => key, log: silentLogger, now: () => NOW, firstStore: true })).toMatchObject({
      tenants: 0,
      rotations: 0
    })
  })
})
