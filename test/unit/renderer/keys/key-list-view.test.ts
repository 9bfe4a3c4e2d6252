import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keyListView, statusSpan } from '../../../../src/renderer/src/features/keys/key-list-view'
import { buildKeyIndex, countByFilter, EXPIRING_WITHIN_MS, keyStatus, SORT_COLUMNS, sortKeys, type KeySort } from '../../../../src/shared/key-view'
import type { ApiKey } from '../../../../src/shared/meshqu'
import { makeKey } from '../../../fixtures/keys'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const SORT: KeySort = { column: 'created_at', direction: 'desc' }

const list = (): ApiKey[] => [
  makeKey('k1', { name: 'alpha', created_at: iso(NOW - 3 * DAY) }),
  makeKey('k2', { name: 'Beta', created_at: iso(NOW - DAY), expires_at: iso(NOW + 3 * DAY) }),
  makeKey('k3', { name: 'gamma', created_at: iso(NOW - 2 * DAY), expires_at: iso(NOW + 10 * DAY) }),
  makeKey('k4', { name: 'delta', is_active: false, revoked_at: iso(NOW - DAY), expires_at: iso(NOW + DAY) })
]

describe('keyListView: derived once per list', () => {
  it('hands back the same counts, index and byId for the same list (a warm tenant switch)', () => {
    const keys = list()
    const a = keyListView(keys, SORT, NOW)
    const b = keyListView(keys, SORT, NOW + 60_000)
    expect(b.index).toBe(a.index)
    expect(b.counts).toBe(a.counts)
    expect(b.byId).toBe(a.byId)
  })

  it('builds anew for another list, even one with the same keys (a refetch or a patch is a new array)', () => {
    const keys = list()
    const a = keyListView(keys, SORT, NOW)
    const b = keyListView([...keys], SORT, NOW)
    expect(b.index).not.toBe(a.index)
    expect(b.byId).not.toBe(a.byId)
    expect(b.index).toEqual(a.index)
  })

  it('re-sorts when the sort changes, and keeps nothing from another sort', () => {
    const keys = list()
    const byDate = keyListView(keys, SORT, NOW)
    const byName = keyListView(keys, { column: 'name', direction: 'asc' }, NOW)
    expect(byName.index).not.toBe(byDate.index)
    expect(byName.index.map((e) => e.key.name)).toEqual(['alpha', 'Beta', 'delta', 'gamma'])
    expect(byName.counts).toBe(byDate.counts)
  })

  it('builds anew once a key reaches a status boundary (7 days before expiry, expiry), not before', () => {
    const keys = list()
    const before = keyListView(keys, SORT, NOW)
    // k3 starts expiring at NOW + 3 days (10 days - 7); k2 expires at NOW + 3 days as well.
    const justBefore = keyListView(keys, SORT, NOW + 3 * DAY - 1)
    expect(justBefore.counts).toBe(before.counts)
    const at = keyListView(keys, SORT, NOW + 3 * DAY)
    expect(at.counts).not.toBe(before.counts)
    expect(at.counts).toEqual(countByFilter(keys, NOW + 3 * DAY))
    expect(at.index.find((e) => e.key.id === 'k2')!.status).toBe('expired')
    expect(at.index.find((e) => e.key.id === 'k3')!.status).toBe('expiring')
  })

  it('equals counting, sorting and indexing from scratch at any time and in any sort', () => {
    const arbKey = fc.record({
      name: fc.constantFrom('a', 'B', 'svc-10', 'svc-9', 'z'),
      expiresIn: fc.option(fc.integer({ min: -20, max: 20 }).map((d) => d * DAY + (d % 3) * 1000)),
      createdAgo: fc.integer({ min: 0, max: 50 }),
      revoked: fc.boolean(),
      active: fc.boolean()
    })
    fc.assert(
      fc.property(
        fc.array(arbKey, { maxLength: 12 }),
        fc.array(fc.integer({ min: -30 * DAY, max: 30 * DAY }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...SORT_COLUMNS),
        fc.boolean(),
        (specs, offsets, column, asc) => {
          const keys = specs.map((s, i) =>
            makeKey(`key${i}`, {
              name: s.name,
              expires_at: s.expiresIn === null ? null : iso(NOW + s.expiresIn),
              created_at: iso(NOW - s.createdAgo * DAY),
              is_active: s.active && !s.revoked,
              revoked_at: s.revoked ? iso(NOW - DAY) : null
            })
          )
          const sort: KeySort = { column, direction: asc ? 'asc' : 'desc' }
          // The same list asked at several times, boundaries included (as the minute clock moves on).
          const times = offsets.flatMap((o) => [
            NOW + o,
            ...keys.flatMap((k) => (k.expires_at ? [Date.parse(k.expires_at), Date.parse(k.expires_at) - EXPIRING_WITHIN_MS] : []))
          ])
          for (const t of times) {
            const view = keyListView(keys, sort, t)
            expect(view.index).toEqual(buildKeyIndex(sortKeys(keys, sort, t), t))
            expect(view.counts).toEqual(countByFilter(keys, t))
            expect([...view.byId.keys()]).toEqual(keys.map((k) => k.id))
          }
        }
      )
    )
  })
})

describe('statusSpan', () => {
  it('no key changes status anywhere inside the span', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -15, max: 15 }), { maxLength: 8 }), fc.integer({ min: -10 * DAY, max: 10 * DAY }), (days, offset) => {
        const keys = days.map((d, i) => makeKey(`s${i}`, { expires_at: iso(NOW + d * DAY) }))
        const now = NOW + offset
        const { from, until } = statusSpan(keys, now)
        expect(from).toBeLessThanOrEqual(now)
        expect(until).toBeGreaterThan(now)
        for (const t of [from, until - 1, now].filter(Number.isFinite)) for (const k of keys) expect(keyStatus(k, t)).toBe(keyStatus(k, now))
        if (Number.isFinite(until)) expect(keys.some((k) => keyStatus(k, until) !== keyStatus(k, now))).toBe(true)
      })
    )
  })
})
