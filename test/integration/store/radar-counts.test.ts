import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createFleetStore, type InProcessFleetStore } from '../../../src/main/core/store/fleet-store'
import { type RadarCounts, type RadarTenant } from '../../../src/main/core/store/radar'
import { silentLogger } from '../../../src/main/core/log'
import { DAY_MS, DEFAULT_RADAR_RULES, keyFindings, RADAR_CATEGORIES, type RadarRules } from '../../../src/shared/radar'
import type { ApiKey } from '../../../src/shared/meshqu'
import { makeKey } from '../../fixtures/keys'

// The radar keeps each tenant's counts (radar_counts) and later adds what changed since, from
// narrow index ranges. These tests hold the kept-and-advanced counts to the rules themselves
// (keyFindings over every key), at times chosen to land on and beside every threshold.
const T0 = Date.parse('2026-11-23T12:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()
const OWN = 'mqu_live_...0own'

const opened: InProcessFleetStore[] = []
function newStore(path = join(mkdtempSync(join(tmpdir(), 'keydesk-radar-counts-')), 'keydesk.db'), key = randomBytes(32)) {
  const store = createFleetStore({ path, dataKey: async () => key, log: silentLogger, now: () => T0 })
  opened.push(store)
  return { store, radar: store.radar, path, key }
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close()
})

/** Counts of the key categories as the rules define them (rotation and schedules are not kept). */
function truth(keys: readonly ApiKey[], t: RadarTenant, now: number): Partial<RadarCounts> {
  const out = Object.fromEntries(RADAR_CATEGORIES.map((c) => [c, 0])) as RadarCounts
  for (const k of keys) for (const c of keyFindings(k, { now, rules: t.rules, ownAdminPreview: t.ownAdminPreview })) out[c]++
  return out
}

const stamp = fc.option(fc.integer({ min: T0 - 400 * DAY_MS, max: T0 + 400 * DAY_MS }), { nil: null })
const keyArb = fc.record({
  expires: stamp,
  lastUsed: stamp,
  created: fc.integer({ min: T0 - 400 * DAY_MS, max: T0 }),
  active: fc.boolean(),
  revoked: fc.boolean(),
  privileged: fc.boolean(),
  own: fc.boolean()
})
const rulesArb = fc.record({
  unusedDays: fc.integer({ min: 1, max: 365 }),
  neverUsedDays: fc.integer({ min: 1, max: 365 }),
  flagNoExpiry: fc.boolean()
})

type KeyRow = typeof keyArb extends fc.Arbitrary<infer T> ? T : never

function toKeys(rows: KeyRow[]): ApiKey[] {
  return rows.map((r, i) =>
    makeKey(`k${i}`, {
      key_preview: r.own ? OWN : `mqu_live_...${String(i).padStart(4, '0')}`,
      scopes: r.privileged ? ['api-keys:admin'] : ['decisions:read'],
      expires_at: r.expires === null ? null : iso(r.expires),
      last_used_at: r.lastUsed === null ? null : iso(r.lastUsed),
      created_at: iso(r.created),
      is_active: r.active,
      revoked_at: r.revoked ? iso(r.created) : null
    })
  )
}

/** Instants on, just before and just after each threshold of each key, plus the given ones. */
function thresholdTimes(keys: readonly ApiKey[], rules: RadarRules): number[] {
  const at: number[] = []
  for (const k of keys) {
    const e = k.expires_at === null ? null : Date.parse(k.expires_at)
    const lu = k.last_used_at === null ? null : Date.parse(k.last_used_at)
    const edges = [Date.parse(k.created_at) + rules.neverUsedDays * DAY_MS]
    if (e !== null) edges.push(e, e - DAY_MS, e - 7 * DAY_MS, e - 30 * DAY_MS)
    if (lu !== null) edges.push(lu + rules.unusedDays * DAY_MS)
    for (const x of edges) at.push(x - 1, x, x + 1)
  }
  return at
}

describe('radar counts kept in the store', () => {
  it('kept counts advanced through time equal the rules, on and beside every threshold, across a restart', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(keyArb, { minLength: 1, maxLength: 25 }),
        rulesArb,
        fc.array(fc.integer({ min: 0, max: 90 * DAY_MS }), { maxLength: 4 }),
        fc.constantFrom(1, 2, 5),
        fc.integer(),
        async (rows, r, gaps, every, seed) => {
          const keys = toKeys(rows)
          const tenant: RadarTenant = { tenant: 't1', rules: { ...DEFAULT_RADAR_RULES.staging, ...r }, ownAdminPreview: OWN }
          const { store, radar, path, key } = newStore()
          await store.syncKeys('t1', keys, T0)
          // Ascending times: the thresholds of the generated keys (on each, 1 ms before and after),
          // all of them or about one in `every` (a step from one key's threshold then crosses
          // another's), and some plain gaps besides.
          let x = seed | 1
          const keep = () => ((x = (Math.imul(x, 1103515245) + 12345) | 0) >>> 8) % every === 0
          const edges = thresholdTimes(keys, tenant.rules).filter((t) => t >= T0 && keep())
          const times = [...new Set([T0, ...edges, ...gaps.map((g) => T0 + g)])].sort((a, b) => a - b)
          for (const now of times) {
            const got = (await radar.summary([tenant], now)).get('t1')!.counts
            expect(got).toEqual(truth(keys, tenant, now))
          }
          // After a restart the kept row carries on from where it was left.
          store.close()
          const again = newStore(path, key)
          const later = times.at(-1)! + 3 * DAY_MS + 17
          expect((await again.radar.summary([tenant], later)).get('t1')!.counts).toEqual(truth(keys, tenant, later))
        }
      ),
      { numRuns: 100 }
    )
  })

  it('a key exactly on its threshold when the counts were kept, expired by the next call, leaves each count it was in', async () => {
    const rules = { ...DEFAULT_RADAR_RULES.production, unusedDays: 30, neverUsedDays: 14, flagNoExpiry: true }
    const keys = [
      makeKey('never', { created_at: iso(T0 - 14 * DAY_MS), expires_at: iso(T0 + 2 * DAY_MS) }),
      makeKey('unused', { last_used_at: iso(T0 - 30 * DAY_MS), expires_at: iso(T0 + 2 * DAY_MS) }),
      makeKey('admin', { scopes: ['api-keys:admin'], last_used_at: iso(T0), expires_at: iso(T0 + 2 * DAY_MS) })
    ]
    const tenant: RadarTenant = { tenant: 't1', rules, ownAdminPreview: OWN }
    const { store, radar } = newStore()
    await store.syncKeys('t1', keys, T0)
    expect((await radar.summary([tenant], T0)).get('t1')!.counts).toMatchObject({ 'never-used': 1, unused: 1, privileged: 1, 'expiring-7d': 3 })
    const later = T0 + 3 * DAY_MS
    const got = (await radar.summary([tenant], later)).get('t1')!.counts
    expect(got).toEqual(truth(keys, tenant, later))
    expect(got).toMatchObject({ 'never-used': 0, unused: 0, privileged: 0, 'expiring-7d': 0, 'expired-active': 3 })
  })

  it('a restarted radar reads its kept row and counts only what changed: the row moves on, the keys are not recounted', async () => {
    const keys = toKeys(
      Array.from({ length: 200 }, (_, i) => ({
        expires: i % 3 === 0 ? null : T0 + (i - 50) * DAY_MS,
        lastUsed: i % 4 === 0 ? null : T0 - i * DAY_MS,
        created: T0 - 300 * DAY_MS + i,
        active: i % 5 !== 0,
        revoked: i % 17 === 0,
        privileged: i % 9 === 0,
        own: i === 9
      }))
    )
    const tenant: RadarTenant = { tenant: 't1', rules: DEFAULT_RADAR_RULES.production, ownAdminPreview: OWN }
    const first = newStore()
    await first.store.syncKeys('t1', keys, T0)
    await first.radar.summary([tenant], T0)
    const db = await first.store.database()
    const row = () => db.prepare('SELECT at, counts FROM radar_counts WHERE tenant = ?').get('t1') as { at: number; counts: string } | undefined
    expect(row()!.at).toBe(T0)
    first.store.close()

    // The kept counts are what the restarted radar starts from: a row altered by hand shows.
    const second = newStore(first.path, first.key)
    const db2 = await second.store.database()
    const kept = JSON.parse((db2.prepare('SELECT counts FROM radar_counts').pluck().get() as string) ?? '{}') as Record<string, number>
    db2.prepare('UPDATE radar_counts SET counts = ?').run(JSON.stringify({ ...kept, unused: kept.unused! + 1000 }))
    const next = T0 + 2 * DAY_MS
    expect((await second.radar.summary([tenant], next)).get('t1')!.counts.unused).toBe((truth(keys, tenant, next).unused ?? 0) + 1000)
    // Keys crossed a threshold in those two days, so the row moved on to the new time.
    expect(db2.prepare('SELECT at FROM radar_counts').pluck().get()).toBe(next)

    // A sync drops the row (trigger on tenant_sync): the next call counts the keys afresh.
    const changed = keys.map((k, i) => (i === 1 ? { ...k, last_used_at: null } : k))
    await second.store.syncKeys('t1', changed, next)
    expect(db2.prepare('SELECT count(*) FROM radar_counts').pluck().get()).toBe(0)
    expect((await second.radar.summary([tenant], next + 1)).get('t1')!.counts).toEqual(truth(changed, tenant, next + 1))
  })

  it('other rules, an own admin key that changed, a clock that went back or a damaged row: counted afresh', async () => {
    const keys = toKeys(
      Array.from({ length: 60 }, (_, i) => ({
        expires: i % 2 ? T0 + i * DAY_MS : null,
        lastUsed: i % 3 ? T0 - i * 3 * DAY_MS : null,
        created: T0 - 200 * DAY_MS,
        active: true,
        revoked: false,
        privileged: i % 4 === 0,
        own: i === 4
      }))
    )
    const { store, radar } = newStore()
    await store.syncKeys('t1', keys, T0)
    const db = await store.database()
    const base: RadarTenant = { tenant: 't1', rules: DEFAULT_RADAR_RULES.staging, ownAdminPreview: OWN }
    const check = async (t: RadarTenant, now: number) => expect((await radar.summary([t], now)).get('t1')!.counts).toEqual(truth(keys, t, now))
    await check(base, T0 + 5 * DAY_MS)
    await check({ ...base, rules: { ...base.rules, unusedDays: 30, flagNoExpiry: true } }, T0 + 5 * DAY_MS)
    await check({ ...base, ownAdminPreview: null }, T0 + 6 * DAY_MS)
    await check(base, T0 + DAY_MS)
    db.prepare('UPDATE radar_counts SET counts = ?').run('{"unused":"many"}')
    await check(base, T0 + 2 * DAY_MS)
    // Removing the tenant drops its kept counts with the rest.
    await store.removeTenant('t1')
    expect(db.prepare('SELECT count(*) FROM radar_counts').pluck().get()).toBe(0)
  })
})
