import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFleetStore, type InProcessFleetStore } from '../../../src/main/core/store/fleet-store'
import { type RadarStore } from '../../../src/main/core/store/radar'
import { silentLogger } from '../../../src/main/core/log'
import { DAY_MS, DEFAULT_RADAR_RULES, RADAR_CATEGORIES, keyFindings, type RadarCategory, type RadarRules } from '../../../src/shared/radar'
import type { ApiKey } from '../../../src/shared/meshqu'
import { makeKey } from '../../fixtures/keys'

// Each rule at its boundaries, asked twice: of the store (SQL over indexes, what the radar counts)
// and of keyFindings() (what the drill-down and the report say). Both must give the same answer.
const NOW = Date.parse('2026-11-23T12:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()
const PROD = DEFAULT_RADAR_RULES.production
const STAGING = DEFAULT_RADAR_RULES.staging
const OWN = 'mqu_test_...OWN1'

let store: InProcessFleetStore
let radar: RadarStore
let n = 0
beforeAll(() => {
  const key = randomBytes(32)
  store = createFleetStore({
    path: join(mkdtempSync(join(tmpdir(), 'keydesk-radar-')), 'keydesk.db'),
    dataKey: async () => key,
    log: silentLogger,
    now: () => NOW
  })
  radar = store.radar
})
afterAll(() => store.close())

/** A fresh tenant holding `keys`; the categories the store counts for it, and keyFindings' union. */
async function judge(keys: ApiKey[], rules: RadarRules = PROD, own: string | null = OWN) {
  const tenant = `t${++n}`
  await store.syncKeys(tenant, keys, NOW - 1000)
  const t = { tenant, rules, ownAdminPreview: own }
  const counts = (await radar.summary([t], NOW)).get(tenant)!.counts
  const sql = RADAR_CATEGORIES.filter((c) => counts[c] > 0)
  const ts = [...new Set(keys.flatMap((k) => keyFindings(k, { now: NOW, rules, ownAdminPreview: own })))].sort()
  expect([...sql].sort(), 'store and keyFindings agree').toEqual(ts)
  return { sql, counts, tenant, t }
}
const one = async (over: Partial<ApiKey>, rules?: RadarRules, own?: string | null) =>
  (await judge([makeKey('k1', { last_used_at: iso(NOW - DAY_MS), expires_at: iso(NOW + 60 * DAY_MS), ...over })], rules, own)).sql

describe('radar rules at their boundaries', () => {
  it('expiring within exactly 1, 7 and 30 days counts; a millisecond later does not', async () => {
    expect(await one({ expires_at: iso(NOW + DAY_MS) })).toEqual(['expiring-1d', 'expiring-7d', 'expiring-30d'])
    expect(await one({ expires_at: iso(NOW + DAY_MS + 1) })).toEqual(['expiring-7d', 'expiring-30d'])
    expect(await one({ expires_at: iso(NOW + 7 * DAY_MS) })).toEqual(['expiring-7d', 'expiring-30d'])
    expect(await one({ expires_at: iso(NOW + 7 * DAY_MS + 1) })).toEqual(['expiring-30d'])
    expect(await one({ expires_at: iso(NOW + 30 * DAY_MS) })).toEqual(['expiring-30d'])
    expect(await one({ expires_at: iso(NOW + 30 * DAY_MS + 1) })).toEqual([])
  })

  it('expired but listed active: from the expiry instant, only while MeshQu says is_active', async () => {
    expect(await one({ expires_at: iso(NOW) })).toEqual(['expired-active'])
    expect(await one({ expires_at: iso(NOW - 5 * DAY_MS) })).toEqual(['expired-active'])
    expect(await one({ expires_at: iso(NOW + 1) })).toContain('expiring-1d')
    expect(await one({ expires_at: iso(NOW), is_active: false })).toEqual([])
    expect(await one({ expires_at: iso(NOW - DAY_MS), revoked_at: iso(NOW - 2 * DAY_MS), is_active: true })).toEqual([])
  })

  it('unused from exactly 90 days in production (180 in staging); never-used keys are not "unused"', async () => {
    expect(await one({ last_used_at: iso(NOW - 90 * DAY_MS) })).toEqual(['unused'])
    expect(await one({ last_used_at: iso(NOW - 90 * DAY_MS + 1) })).toEqual([])
    expect(await one({ last_used_at: iso(NOW - 90 * DAY_MS) }, STAGING)).toEqual([])
    expect(await one({ last_used_at: iso(NOW - 180 * DAY_MS) }, STAGING)).toEqual(['unused'])
    expect(await one({ last_used_at: iso(NOW - 100 * DAY_MS), revoked_at: iso(NOW - DAY_MS), is_active: false })).toEqual([])
    // An expired key is past caring about use.
    expect(await one({ last_used_at: iso(NOW - 100 * DAY_MS), expires_at: iso(NOW - DAY_MS), is_active: false })).toEqual([])
  })

  it('never used N days after creation: 14 in production, 30 in staging, counted from created_at', async () => {
    expect(await one({ last_used_at: null, created_at: iso(NOW - 14 * DAY_MS) })).toEqual(['never-used'])
    expect(await one({ last_used_at: null, created_at: iso(NOW - 14 * DAY_MS + 1) })).toEqual([])
    expect(await one({ last_used_at: null, created_at: iso(NOW - 14 * DAY_MS) }, STAGING)).toEqual([])
    expect(await one({ last_used_at: null, created_at: iso(NOW - 30 * DAY_MS) }, STAGING)).toEqual(['never-used'])
    expect(await one({ last_used_at: null, created_at: iso(NOW - 30 * DAY_MS) }, { ...STAGING, neverUsedDays: 31 })).toEqual([])
  })

  it('no expiry is a finding in production, not in staging (unless its rules say so)', async () => {
    const noExpiry = { expires_at: null }
    expect(await one(noExpiry, { ...PROD, flagNoExpiry: true })).toEqual(['no-expiry'])
    expect(await one(noExpiry, STAGING)).toEqual([])
    expect(await one(noExpiry, { ...STAGING, flagNoExpiry: true })).toEqual(['no-expiry'])
    expect(await one({ expires_at: null, revoked_at: iso(NOW - DAY_MS), is_active: false })).toEqual([])
  })

  it("api-keys:admin or audit:admin is a finding, except KeyDesk's own admin key", async () => {
    const base = { expires_at: iso(NOW + 60 * DAY_MS) }
    expect(await one({ ...base, scopes: ['api-keys:admin'] })).toEqual(['privileged'])
    expect(await one({ ...base, scopes: ['audit:read', 'audit:admin'] })).toEqual(['privileged'])
    expect(await one({ ...base, scopes: ['audit:read', 'decisions:read'] })).toEqual([])
    expect(await one({ ...base, scopes: ['api-keys:admin'], key_preview: OWN })).toEqual([])
    // Without a known own key (a profile saved before previews), every admin key is a finding.
    expect(await one({ ...base, scopes: ['api-keys:admin'], key_preview: OWN }, PROD, null)).toEqual(['privileged'])
    expect(await one({ ...base, scopes: ['api-keys:admin'], revoked_at: iso(NOW - 1), is_active: false })).toEqual([])
    // Both admin scopes on one key: one finding, not two.
    const both = await judge([makeKey('k', { ...base, last_used_at: iso(NOW), scopes: ['api-keys:admin', 'audit:admin'] })])
    expect(both.counts.privileged).toBe(1)
  })

  it('the privileged flag follows scope changes on the next sync', async () => {
    const tenant = 'scopes-change'
    const t = { tenant, rules: STAGING, ownAdminPreview: null }
    const k = makeKey('p', { last_used_at: iso(NOW), scopes: ['api-keys:admin', 'audit:admin'] })
    await store.syncKeys(tenant, [k], 1)
    expect((await radar.summary([t], NOW)).get(tenant)!.counts.privileged).toBe(1)
    await store.syncKeys(tenant, [{ ...k, scopes: ['audit:admin'] }], 2)
    expect((await radar.summary([t], NOW)).get(tenant)!.counts.privileged).toBe(1)
    await store.syncKeys(tenant, [{ ...k, scopes: ['decisions:read'] }], 3)
    expect((await radar.summary([t], NOW)).get(tenant)!.counts.privileged).toBe(0)
    await store.syncKeys(tenant, [{ ...k, scopes: ['decisions:read', 'api-keys:admin'] }], 4)
    expect((await radar.summary([t], NOW)).get(tenant)!.counts.privileged).toBe(1)
    await store.syncKeys(tenant, [], 5) // vanished from the list: no longer counted
    expect((await radar.summary([t], NOW)).get(tenant)!.counts.privileged).toBe(0)
  })

  it('a rotation is pending after more than 7 days (production), not at exactly 7, and not once the old key is revoked', async () => {
    const tenant = 'rotations'
    const t = { tenant, rules: PROD, ownAdminPreview: OWN }
    await store.syncKeys(
      tenant,
      [
        makeKey('old1', { last_used_at: iso(NOW) }),
        makeKey('old2', { last_used_at: iso(NOW) }),
        makeKey('old3', { revoked_at: iso(NOW - 1), is_active: false })
      ],
      1
    )
    await store.rotations.add({ tenant, oldKeyId: 'old1', newKeyId: 'n1', rotatedAt: NOW - 7 * DAY_MS })
    await store.rotations.add({ tenant, oldKeyId: 'old2', newKeyId: 'n2', rotatedAt: NOW - 7 * DAY_MS - 1 })
    await store.rotations.add({ tenant, oldKeyId: 'old3', newKeyId: 'n3', rotatedAt: NOW - 30 * DAY_MS })
    await store.rotations.add({ tenant, oldKeyId: 'not-stored', newKeyId: 'n4', rotatedAt: NOW - 30 * DAY_MS })
    expect((await radar.summary([t], NOW)).get(tenant)!.counts['rotation-pending']).toBe(2)
    const rows = await radar.keys(t, 'rotation-pending', NOW, { limit: 10, offset: 0 })
    expect(rows.map((r) => [r.keyId, r.key?.id ?? null])).toEqual([
      ['not-stored', null],
      ['old2', 'old2']
    ])
    expect((await radar.summary([{ ...t, rules: STAGING }], NOW)).get(tenant)!.counts['rotation-pending']).toBe(1) // 14 days: only the 30-day-old one whose key is not revoked
    const ctx = await radar.keyContext(tenant)
    expect(
      keyFindings(makeKey('old2', { last_used_at: iso(NOW) }), { now: NOW, rules: PROD, ownAdminPreview: OWN, rotatedAt: ctx.rotatedAt.get('old2') })
    ).toContain('rotation-pending')
    expect(
      keyFindings(makeKey('old1', { last_used_at: iso(NOW) }), { now: NOW, rules: PROD, ownAdminPreview: OWN, rotatedAt: ctx.rotatedAt.get('old1') })
    ).not.toContain('rotation-pending')
  })

  it("failed scheduled revokes count per key, once, in the scheduler's own table", async () => {
    const tenant = 'schedules'
    const t = { tenant, rules: PROD, ownAdminPreview: OWN }
    await store.syncKeys(tenant, [makeKey('s1', { last_used_at: iso(NOW) })], 1)
    expect((await radar.summary([t], NOW)).get(tenant)!.counts['revoke-failed']).toBe(0)
    const db = await store.database()
    const insert = db.prepare('INSERT INTO scheduled_revokes (tenant, key_id, key_name, due_at, state, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    insert.run(tenant, 's1', 'key-s1', NOW, 'failed', NOW)
    insert.run(tenant, 's1', 'key-s1', NOW + 1, 'failed', NOW)
    insert.run(tenant, 'gone', 'gone', NOW, 'failed', NOW)
    insert.run(tenant, 's2', 'key-s2', NOW, 'scheduled', NOW)
    expect((await radar.summary([t], NOW)).get(tenant)!.counts['revoke-failed']).toBe(2)
    expect((await radar.keys(t, 'revoke-failed', NOW, { limit: 10, offset: 0 })).map((r) => r.keyId)).toEqual(['gone', 's1'])
    expect((await radar.keyContext(tenant)).revokeFailed).toEqual(new Set(['s1', 'gone']))
    db.exec('DELETE FROM scheduled_revokes')
  })

  it('kept counts move when the clock crosses a boundary, without a sync', async () => {
    const tenant = 'clock'
    const t = { tenant, rules: STAGING, ownAdminPreview: null }
    await store.syncKeys(
      tenant,
      [
        makeKey('x', { expires_at: iso(NOW + 2 * DAY_MS), last_used_at: iso(NOW) }),
        makeKey('y', { expires_at: iso(NOW + 300 * DAY_MS), last_used_at: iso(NOW - 180 * DAY_MS + 5) }),
        makeKey('z', { expires_at: iso(NOW + 300 * DAY_MS), last_used_at: null, created_at: iso(NOW - 30 * DAY_MS + 9) })
      ],
      1
    )
    const at = async (now: number) => (await radar.summary([t], now)).get(tenant)!.counts
    expect(await at(NOW)).toMatchObject({ 'expiring-1d': 0, unused: 0, 'never-used': 0 })
    expect(await at(NOW + 4)).toMatchObject({ unused: 0 })
    expect(await at(NOW + 5)).toMatchObject({ unused: 1, 'never-used': 0 })
    expect(await at(NOW + 9)).toMatchObject({ 'never-used': 1 })
    expect(await at(NOW + DAY_MS - 1)).toMatchObject({ 'expiring-1d': 0 })
    expect(await at(NOW + DAY_MS)).toMatchObject({ 'expiring-1d': 1 })
    expect(await at(NOW + 2 * DAY_MS)).toMatchObject({ 'expiring-1d': 0, 'expiring-30d': 0 })
    // Rules changed: counted again at once.
    expect((await radar.summary([{ ...t, rules: { ...STAGING, unusedDays: 400 } }], NOW + 5)).get(tenant)!.counts.unused).toBe(0)
  })

  it('a summary that has to count lets main run other work between tenants; kept counts do not wait', async () => {
    const tenants = ['busy-a', 'busy-b', 'busy-c'].map((tenant) => ({ tenant, rules: STAGING, ownAdminPreview: null }))
    for (const t of tenants) await store.syncKeys(t.tenant, [makeKey(`${t.tenant}-k`, { expires_at: iso(NOW + DAY_MS) })], NOW - 1000)
    const order: string[] = []
    const counting = radar.summary(tenants, NOW).then((m) => order.push(`summary of ${m.size}`))
    // Queued behind the first tenant's count: runs before the other two are counted.
    setImmediate(() => order.push('other work'))
    await counting
    expect(order).toEqual(['other work', 'summary of 3'])
    const counts = (await radar.summary(tenants, NOW)).get('busy-c')!.counts
    expect(counts['expiring-1d']).toBe(1)
    // All kept now: answered without yielding, before anything queued after it.
    order.length = 0
    const kept = radar.summary(tenants, NOW).then(() => order.push('kept summary'))
    setImmediate(() => order.push('other work'))
    await kept
    expect(order).toEqual(['kept summary'])
  })

  it('a drill-down pages in the category order and agrees with the count', async () => {
    const keys = Array.from({ length: 25 }, (_, i) => makeKey(`e${i}`, { last_used_at: iso(NOW), expires_at: iso(NOW + (25 - i) * 3600_000) }))
    const { t, counts } = await judge(keys)
    expect(counts['expiring-1d']).toBe(24)
    const first = await radar.keys(t, 'expiring-1d', NOW, { limit: 10, offset: 0 })
    const rest = await radar.keys(t, 'expiring-1d', NOW, { limit: 100, offset: 10 })
    const all = [...first, ...rest].map((r) => r.key!.expires_at!)
    expect(all).toHaveLength(24)
    expect([...all].sort()).toEqual(all)
  })

  it('store and keyFindings agree on any key (property)', async () => {
    const around = (base: number, spread: number) =>
      fc.oneof(fc.constant(base), fc.constant(base + 1), fc.constant(base - 1), fc.integer({ min: base - spread, max: base + spread }))
    const keyArb = fc.record({
      expires: fc.option(fc.oneof(around(NOW, DAY_MS), around(NOW + DAY_MS, 10), around(NOW + 7 * DAY_MS, 10), around(NOW + 30 * DAY_MS, 10)), {
        nil: null
      }),
      lastUsed: fc.option(
        fc.oneof(around(NOW - 90 * DAY_MS, 10), around(NOW - 180 * DAY_MS, 10), fc.integer({ min: NOW - 400 * DAY_MS, max: NOW })),
        { nil: null }
      ),
      created: fc.oneof(around(NOW - 14 * DAY_MS, 10), around(NOW - 30 * DAY_MS, 10), fc.integer({ min: NOW - 400 * DAY_MS, max: NOW })),
      active: fc.boolean(),
      revoked: fc.boolean(),
      scopes: fc.subarray(['api-keys:admin', 'audit:admin', 'audit:read', 'decisions:read'] as const, { minLength: 1 }),
      own: fc.boolean()
    })
    await fc.assert(
      fc.asyncProperty(fc.array(keyArb, { minLength: 1, maxLength: 6 }), fc.constantFrom(PROD, STAGING), async (specs, rules) => {
        const keys = specs.map((s, i) =>
          makeKey(`p${i}`, {
            key_preview: s.own ? OWN : `mqu_test_...${String(i).padStart(4, '0')}`,
            expires_at: s.expires === null ? null : iso(s.expires),
            last_used_at: s.lastUsed === null ? null : iso(s.lastUsed),
            created_at: iso(s.created),
            is_active: s.active,
            revoked_at: s.revoked ? iso(NOW - DAY_MS) : null,
            scopes: [...s.scopes]
          })
        )
        const { counts } = await judge(keys, rules)
        const perCategory = Object.fromEntries(RADAR_CATEGORIES.map((c) => [c, 0])) as Record<RadarCategory, number>
        for (const k of keys) for (const c of keyFindings(k, { now: NOW, rules, ownAdminPreview: OWN })) perCategory[c]++
        expect(counts).toEqual(perCategory)
      }),
      { numRuns: 150 }
    )
  })
})
