import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createCore } from '../../../src/main/core'
import { silentLogger } from '../../../src/main/core/log'
import { createFleetStore, type InProcessFleetStore } from '../../../src/main/core/store/fleet-store'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import { startSandbox } from '../../../src/sandbox'
import { STORE_HEAD_MAX_ROWS } from '../../../src/shared/contract'
import type { Reply } from '../../../src/shared/envelope'
import { DEFAULT_RADAR_RULES } from '../../../src/shared/radar'
import { countByStatus, DEFAULT_SORT, sortKeys } from '../../../src/shared/key-view'
import type { ApiKey } from '../../../src/shared/meshqu'
import type { TenantView } from '../../../src/shared/tenants'
import { makeKey } from '../../fixtures/keys'

/**
 * keys.fromStoreHead is painted as the first rows of the whole list from the fleet store before that list arrives:
 * it must be exactly the first rows the keys view shows once it has the list (keys.fromStore, sorted
 * by the view's default sort, ties kept in the list's order), or rows would jump under the cursor.
 */
const NOW = Date.parse('2026-11-23T12:00:00Z')
const DAY = 24 * 60 * 60 * 1000
const iso = (ms: number) => new Date(ms).toISOString()

const opened: InProcessFleetStore[] = []
function newStore() {
  const key = randomBytes(32)
  const store = createFleetStore({
    path: join(mkdtempSync(join(tmpdir(), 'keydesk-head-')), 'keydesk.db'),
    dataKey: async () => key,
    log: silentLogger,
    now: () => NOW
  })
  opened.push(store)
  return store
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close()
})

/** What the view shows first once the whole list from the fleet store is in. */
const viewOrder = (keys: readonly ApiKey[]) => sortKeys(keys, DEFAULT_SORT, NOW)

// Few distinct instants, so many keys share a creation time (ties), written several ways that
// parse to the same millisecond ('Z', '.000Z', an offset): the view and SQL must break ties alike.
const instant = fc.constantFrom(NOW - 3 * DAY, NOW - DAY, NOW - DAY + 1, NOW - 1, NOW + 5)
const created = fc
  .tuple(instant, fc.constantFrom('iso', 'no-ms', 'offset'))
  .map(([ms, form]) =>
    form === 'iso' ? iso(ms) : form === 'no-ms' ? iso(ms).replace(/\.\d{3}Z$/, 'Z') : new Date(ms + 3_600_000).toISOString().replace('Z', '+01:00')
  )
const maybeDate = fc.option(fc.constantFrom(NOW - 2 * DAY, NOW - 1, NOW, NOW + 1, NOW + 3 * DAY, NOW + 7 * DAY, NOW + 30 * DAY).map(iso), {
  nil: null
})
const keySpec = fc.record({
  // Mixed case and equal names: the default sort does not look at names, nor may SQL.
  name: fc.constantFrom('alpha', 'Alpha', 'ALPHA', 'beta', 'b', 'key-10', 'key-9'),
  created_at: created,
  expires_at: maybeDate,
  last_used_at: maybeDate,
  is_active: fc.boolean(),
  revoked_at: fc.option(fc.constant(iso(NOW - DAY)), { nil: null })
})
/** A list of keys with unique ids, in the order MeshQu sent them. */
const keyList = (max: number) =>
  fc.array(keySpec, { maxLength: max }).map((specs) => specs.map((s, i) => makeKey(`id-${String(i).padStart(3, '0')}`, s)))

describe('keys.fromStoreHead: the first rows of the list in the fleet store, in the view order', () => {
  it('equals the first N rows the view shows of keys.fromStore, ties and all, with its size and counts', async () => {
    await fc.assert(
      fc.asyncProperty(
        keyList(60),
        keyList(60),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 0, max: 2 * DAY }),
        async (first, second, limit, later) => {
          const store = newStore()
          // Two syncs: rows inserted by the first keep their rowids, vanished keys stay unlisted,
          // so the stored order is not simply the order either list was sent in.
          await store.syncKeys('t1', first, 1)
          await store.syncKeys('t1', second.reverse(), 2)
          await store.syncKeys('other', first, 3)
          const now = NOW + later
          const cached = (await store.keysOf('t1'))!
          const head = (await store.headOf('t1', limit, now))!
          expect(head.keys).toEqual(sortKeys(cached.keys, DEFAULT_SORT, now).slice(0, limit))
          expect(head.total).toBe(cached.keys.length)
          expect(head.counts).toEqual(countByStatus(cached.keys, now))
          expect(head.syncedAt).toBe(2)
          store.close()
        }
      ),
      { numRuns: 120 }
    )
  })

  it('reads the first rows off the index, not by sorting every row of the tenant', async () => {
    const store = newStore()
    await store.syncKeys('t1', [makeKey('a')], 1)
    const plan = (await store.database())
      .prepare(
        'EXPLAIN QUERY PLAN SELECT json FROM keys WHERE tenant = ? AND listed = 1 AND revoked IN (0, 1) ORDER BY created_ms DESC, rowid LIMIT ?'
      )
      .all('t1', 10) as { detail: string }[]
    const details = plan.map((p) => p.detail).join('\n')
    expect(details).toContain('keys_newest_first')
    expect(details).not.toContain('TEMP B-TREE')
  })

  it("is the head's alone: no other statement's plan changes with its index (the radar keeps its covering indexes)", async () => {
    const store = newStore()
    await store.syncKeys('t1', fc.sample(keyList(200), { numRuns: 1, seed: 7 })[0]!, 1)
    const db = await store.database()
    // Every statement the radar prepares (all of them, on its first question).
    const seen = new Set<string>()
    const prepare = db.prepare.bind(db)
    db.prepare = ((sql: string) => {
      seen.add(sql)
      return prepare(sql)
    }) as typeof db.prepare
    await store.radar.summary([{ tenant: 't1', rules: DEFAULT_RADAR_RULES.staging, ownAdminPreview: null }], NOW)
    db.prepare = prepare
    const statements = [...seen, 'SELECT json FROM keys WHERE tenant = @tenant AND listed = 1 ORDER BY created_ms DESC, rowid'].filter((sql) =>
      /\bFROM keys\b/.test(sql)
    )
    expect(statements.length).toBeGreaterThan(10)
    const plans = () =>
      statements.map((sql) => {
        const names = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))]
        const positional = Array.from(sql.matchAll(/\?/g), () => 0)
        const params = names.length ? [Object.fromEntries(names.map((n) => [n, 0]))] : positional
        const rows = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]
        return `${sql}\n  ${rows.map((r) => r.detail).join(' | ')}`
      })
    const withIndex = plans()
    db.exec('DROP INDEX keys_newest_first')
    expect(withIndex).toEqual(plans())
  })

  it('is null for a tenant never synced, and empty (total 0) for an empty list', async () => {
    const store = newStore()
    expect(await store.headOf('never', 10, NOW)).toBeNull()
    await store.syncKeys('empty', [], 7)
    expect(await store.headOf('empty', 10, NOW)).toEqual({
      keys: [],
      total: 0,
      counts: { active: 0, expiring: 0, expired: 0, revoked: 0 },
      syncedAt: 7
    })
  })
})

const ok = <T>(r: Reply<unknown>) => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r as { ok: true; data: T; meta: Extract<Reply<T>, { ok: true }>['meta'] }
}
const cleanup: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const c of cleanup.reverse()) await c()
})

describe('keys.fromStoreHead through the core (real sandbox, real encrypted store)', () => {
  it('serves the first rows of keys.fromStore in the view order, and refuses a limit out of bounds', async () => {
    const sandbox = await startSandbox({ port: 0, tenants: 1, seedKeys: 250, quiet: true })
    cleanup.push(() => sandbox.close())
    const core = createCore({
      dataDir: mkdtempSync(join(tmpdir(), 'keydesk-head-core-')),
      secretStore: createMemorySecretStore(),
      logger: silentLogger
    })
    cleanup.push(() => core.dispose())
    const t = sandbox.tenants[0]!
    const tenant = ok<TenantView>(
      await core.invoke('tenants.add', { label: 'head', tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
    ).data.id

    expect(ok(await core.invoke('keys.fromStoreHead', { tenant, limit: 10 })).data).toBeNull()
    ok(await core.invoke('keys.listAll', { tenant }))
    const cached = JSON.parse(ok<{ keysJson: string }>(await core.invoke('keys.fromStore', { tenant })).data.keysJson) as ApiKey[]
    expect(cached.length).toBeGreaterThanOrEqual(250)
    const now = Date.now()
    for (const limit of [1, 100, STORE_HEAD_MAX_ROWS]) {
      const head = ok<{ keys: ApiKey[]; total: number; counts: Record<string, number> }>(
        await core.invoke('keys.fromStoreHead', { tenant, limit, now })
      )
      expect(head.meta.servedFrom).toBe('local')
      expect(head.data.keys).toEqual(sortKeys(cached, DEFAULT_SORT, now).slice(0, limit))
      expect(head.data.total).toBe(cached.length)
      expect(head.data.counts).toEqual(countByStatus(cached, now))
    }
    expect(viewOrder(cached)[0]).toEqual(ok<{ keys: ApiKey[] }>(await core.invoke('keys.fromStoreHead', { tenant, limit: 1 })).data.keys[0])

    for (const bad of [
      { tenant, limit: 0 },
      { tenant, limit: STORE_HEAD_MAX_ROWS + 1 },
      { tenant, limit: 2.5 },
      { tenant, limit: -1 },
      { tenant },
      { tenant, limit: '10' },
      { tenant, limit: 10, now: -5 },
      { tenant, limit: 10, extra: true }
    ]) {
      const r = await core.invoke('keys.fromStoreHead', bad as never)
      expect(r.ok, JSON.stringify(bad)).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('VALIDATION')
    }
  })
})
