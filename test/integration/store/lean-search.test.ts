import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createFleetStore, type FleetStore } from '../../../src/main/core/store/fleet-store'
import { WAL_LIMIT_BYTES } from '../../../src/main/core/store/open-database'
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/main/core/store/schema'
import { silentLogger } from '../../../src/main/core/log'
import { matchesText } from '../../../src/shared/key-view'
import type { ApiKey } from '../../../src/shared/meshqu'
import { makeKey } from '../../fixtures/keys'

const NOW = Date.parse('2026-11-23T12:00:00Z')
const opened: FleetStore[] = []
function newStore(path = join(mkdtempSync(join(tmpdir(), 'keydesk-lean-')), 'keydesk.db'), key = randomBytes(32)) {
  const store = createFleetStore({ path, dataKey: async () => key, log: silentLogger, now: () => NOW })
  opened.push(store)
  return { store, path, key }
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close()
})

const ids = (hits: { key: ApiKey }[]) => hits.map((h) => h.key.id).sort()
/** What the keys table's own filter finds among `keys`: the answer every search must give. */
const want = (keys: readonly ApiKey[], text: string) =>
  keys
    .filter((k) => matchesText(k, text))
    .map((k) => k.id)
    .sort()

describe('fleet store: search over the lean index', () => {
  it('finds a UUID id by any part of it, prefix, middle or end, in any case', async () => {
    const { store } = newStore()
    const keys = Array.from({ length: 200 }, () => makeKey(randomUUID()))
    await store.syncKeys('t1', keys, 1)
    const id = keys[57]!.id
    for (const text of [id.slice(0, 8), id.slice(9, 18), id.slice(14, 23).toUpperCase(), id.slice(-5), id, `${id.slice(3, 12)} key`]) {
      const found = await store.search({ text, limit: 500 })
      expect(ids(found.hits), text).toEqual(want(keys, text))
      expect(ids(found.hits), text).toContain(id)
    }
  })

  it('finds exactly what the keys table filter finds, over ids that are and are not hex', async () => {
    // Hex digits, '-', and letters outside hex (ids that are indexed and ids that are scanned).
    const chars = fc.constantFrom('a', 'b', 'f', 'F', '0', '9', '-', 'x', 'K', 'é', '_')
    const str = fc.array(chars, { minLength: 1, maxLength: 10 }).map((a) => a.join(''))
    const { store } = newStore()
    let round = 0
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(str, { minLength: 1, maxLength: 10 }),
        fc.array(str, { maxLength: 10 }),
        str,
        str,
        async (keyIds, names, t1, t2) => {
          const tenant = `t${round++}`
          const keys = keyIds.map((id, i) => makeKey(id, { name: names[i] ?? 'n', key_preview: `p${i}` }))
          await store.syncKeys(tenant, keys, 1)
          for (const text of [t1, `${t1} ${t2}`]) {
            const found = await store.search({ text, limit: 1000 })
            expect(ids(found.hits.filter((h) => h.tenant === tenant)), text).toEqual(want(keys, text))
          }
        }
      ),
      { numRuns: 200 }
    )
  })

  it('keeps the index in step with renames, vanished keys, a rolled-back sync and a removed tenant', async () => {
    const { store } = newStore()
    const a = makeKey('acct-xyz-1', { name: 'ledger-old' })
    const b = makeKey(randomUUID(), { name: 'ledger-kept' })
    await store.syncKeys('t1', [a, b], 1)
    await store.syncKeys('t1', [{ ...a, name: 'ledger-new' }, b], 2)
    expect(ids((await store.search({ text: 'ledger-old', limit: 10 })).hits)).toEqual([])
    expect(ids((await store.search({ text: 'ledger-new', limit: 10 })).hits)).toEqual([a.id])
    expect(ids((await store.search({ text: 'xyz-1', limit: 10 })).hits)).toEqual([a.id])
    await expect(
      store.syncKeys('t1', [a, b, makeKey('boom')], 3, (i) => {
        if (i === 2) throw new Error('crash mid-sync')
      })
    ).rejects.toThrow('crash')
    expect(ids((await store.search({ text: 'ledger-new', limit: 10 })).hits)).toEqual([a.id])
    await store.removeTenant('t1')
    expect((await store.search({ text: 'ledger', limit: 10 })).hits).toEqual([])
    const db = await store.database()
    expect(db.prepare('SELECT count(*) AS n FROM keys_fts_pending').get()).toEqual({ n: 0 })
    expect(() => db.exec(`INSERT INTO keys_fts (keys_fts) VALUES ('integrity-check')`)).not.toThrow()
  })
})

describe('fleet store: how the database is kept', () => {
  it('keeps temporary tables and sorts in memory, never in an unencrypted temp file', async () => {
    const { store } = newStore()
    expect((await store.database()).pragma('temp_store', { simple: true })).toBe(2)
  })

  it('leaves a small WAL after a large first sync', async () => {
    const { store, path } = newStore()
    await store.syncKeys(
      't1',
      Array.from({ length: 5_000 }, () => makeKey(randomUUID())),
      1
    )
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(WAL_LIMIT_BYTES)
  })

  it('upgrades a schema-5 store with keys in place: search, exact matches and later syncs work', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keydesk-lean-')), 'keydesk.db')
    const key = randomBytes(32)
    const old = new Database(path)
    old.pragma(`cipher = 'sqlcipher'`)
    old.pragma(`key = "x'${key.toString('hex')}'"`)
    for (const m of MIGRATIONS.slice(0, 5)) m(old as never, 0)
    old.pragma('user_version = 5')
    const keys = [makeKey(randomUUID(), { name: 'billing-prod-001' }), makeKey('acct-7', { name: 'risk-engine' })]
    const insert = old.prepare(
      `INSERT INTO keys (tenant, id, name, key_preview, is_active, revoked, created_ms, expires_ms, last_used_ms, listed, first_seen, json)
       VALUES ('t1', ?, ?, ?, 1, 0, ?, NULL, NULL, 1, 0, ?)`
    )
    for (const k of keys) insert.run(k.id, k.name, k.key_preview, Date.parse(k.created_at), JSON.stringify(k))
    old.prepare('INSERT INTO tenant_sync VALUES (?, ?, ?)').run('t1', NOW, keys.length)
    old.close()

    const { store } = newStore(path, key)
    const db = await store.database()
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('keys_by_id', 'keys_by_expiry', 'keys_by_last_use')`).all()).toEqual([])
    expect(ids((await store.search({ text: 'billing', limit: 10 })).hits)).toEqual([keys[0]!.id])
    expect(ids((await store.search({ text: keys[0]!.id.slice(10, 20), limit: 10 })).hits)).toEqual([keys[0]!.id])
    expect((await store.search({ text: keys[0]!.id.toUpperCase(), limit: 10 })).hits[0]).toMatchObject({ exact: true })
    expect(ids((await store.search({ text: 'cct-', limit: 10 })).hits)).toEqual(['acct-7'])
    // Rows indexed by the migration are forgotten correctly when they change.
    await store.syncKeys('t1', [{ ...keys[0]!, name: 'billing-prod-002' }], 2)
    expect(ids((await store.search({ text: 'prod-001', limit: 10 })).hits)).toEqual([])
    expect(ids((await store.search({ text: 'prod-002', limit: 10 })).hits)).toEqual([keys[0]!.id])
    expect(() => db.exec(`INSERT INTO keys_fts (keys_fts) VALUES ('integrity-check')`)).not.toThrow()
  })
})
