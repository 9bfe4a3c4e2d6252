import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { countByFilter, countByStatus, filterKeys, keyStatus, matchesStatus, sortKeys, sortOrder } from '../../../src/shared/key-view'
import type { ApiKey } from '../../../src/shared/meshqu'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
let seq = 0
const key = (over: Partial<ApiKey> = {}): ApiKey => ({
  id: `id-${++seq}`,
  tenant_id: 't',
  name: `svc-${seq}`,
  key_preview: `mqu_test_...${String(seq).padStart(4, '0')}`,
  scopes: ['decisions:evaluate'],
  expires_at: null,
  last_used_at: null,
  is_active: true,
  created_at: iso(NOW - seq * DAY),
  created_by: null,
  revoked_at: null,
  revoked_by: null,
  ...over
})

describe('keyStatus', () => {
  it('derives active, expiring within 7 days, expired and revoked', () => {
    expect(keyStatus(key(), NOW)).toBe('active')
    expect(keyStatus(key({ expires_at: iso(NOW + 8 * DAY) }), NOW)).toBe('active')
    expect(keyStatus(key({ expires_at: iso(NOW + 7 * DAY) }), NOW)).toBe('expiring')
    expect(keyStatus(key({ expires_at: iso(NOW) }), NOW)).toBe('expired')
    expect(keyStatus(key({ is_active: false, revoked_at: iso(NOW - DAY) }), NOW)).toBe('revoked')
    // Revoked wins over expired: revocation is the stronger, permanent fact.
    expect(keyStatus(key({ is_active: false, revoked_at: iso(NOW - DAY), expires_at: iso(NOW - 2 * DAY) }), NOW)).toBe('revoked')
  })
})

describe('filterKeys', () => {
  const keys = [
    key({ name: 'billing-prod', scopes: ['decisions:evaluate', 'audit:read'] }),
    key({ name: 'billing-staging', expires_at: iso(NOW - DAY) }),
    key({ name: 'alerts-bot', scopes: ['alerts:read'], is_active: false, revoked_at: iso(NOW - DAY) })
  ]
  it('searches name, preview and id with every term', () => {
    expect(filterKeys(keys, { text: 'BILLING prod' }, NOW).map((k) => k.name)).toEqual(['billing-prod'])
    expect(filterKeys(keys, { text: keys[2]!.key_preview.slice(-4) }, NOW)).toHaveLength(1)
    expect(filterKeys(keys, { text: keys[1]!.id }, NOW).map((k) => k.name)).toEqual(['billing-staging'])
  })
  it('filters by status and by scopes held', () => {
    expect(filterKeys(keys, { statuses: ['expired', 'revoked'] }, NOW)).toHaveLength(2)
    expect(filterKeys(keys, { scopes: ['decisions:evaluate', 'audit:read'] }, NOW).map((k) => k.name)).toEqual(['billing-prod'])
  })
  it('never invents keys: the result is a subset, in order', () => {
    fc.assert(
      fc.property(fc.string(), fc.subarray(['active', 'expiring', 'expired', 'revoked'] as const), (text, statuses) => {
        const out = filterKeys(keys, { text, statuses }, NOW)
        const idx = out.map((k) => keys.indexOf(k))
        expect(idx.every((i) => i >= 0)).toBe(true)
        expect([...idx].sort((a, b) => a - b)).toEqual(idx)
      })
    )
  })
  it('Active means every usable key: it includes live keys expiring within 7 days', () => {
    const soon = key({ name: 'soon', expires_at: iso(NOW + 2 * DAY) })
    const all = [...keys, soon]
    expect(keyStatus(soon, NOW)).toBe('expiring')
    expect(filterKeys(all, { statuses: ['active'] }, NOW).map((k) => k.name)).toEqual(['billing-prod', 'soon'])
    expect(filterKeys(all, { statuses: ['expiring'] }, NOW).map((k) => k.name)).toEqual(['soon'])
    expect(countByFilter(all, NOW)).toEqual({ active: 2, expiring: 1, expired: 1, revoked: 1 })
  })
  it('counts per status', () => {
    expect(countByStatus(keys, NOW)).toEqual({ active: 1, expiring: 0, expired: 1, revoked: 1 })
  })
})

describe('sortKeys', () => {
  it('sorts by name naturally and by dates with "never" last either way', () => {
    const a = key({ name: 'svc-10', last_used_at: iso(NOW - DAY) })
    const b = key({ name: 'svc-9', last_used_at: null })
    const c = key({ name: 'Svc-1', last_used_at: iso(NOW - 2 * DAY) })
    expect(sortKeys([a, b, c], { column: 'name', direction: 'asc' }, NOW).map((k) => k.name)).toEqual(['Svc-1', 'svc-9', 'svc-10'])
    expect(sortKeys([a, b, c], { column: 'last_used_at', direction: 'desc' }, NOW)).toEqual([a, c, b])
    expect(sortKeys([a, b, c], { column: 'last_used_at', direction: 'asc' }, NOW)).toEqual([c, a, b])
  })
  it('is a stable permutation', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.constantFrom('a', 'b', 'c') }), { maxLength: 30 }), fc.boolean(), (rows, asc) => {
        const keys = rows.map((r) => key(r))
        const out = sortKeys(keys, { column: 'name', direction: asc ? 'asc' : 'desc' }, NOW)
        expect([...out].sort((x, y) => x.id.localeCompare(y.id))).toEqual([...keys].sort((x, y) => x.id.localeCompare(y.id)))
        for (let i = 1; i < out.length; i++) {
          const cmp = out[i - 1]!.name.localeCompare(out[i]!.name)
          expect(asc ? cmp <= 0 : cmp >= 0).toBe(true)
          if (cmp === 0) expect(keys.indexOf(out[i - 1]!)).toBeLessThan(keys.indexOf(out[i]!))
        }
      })
    )
  })
  it('compares names as localeCompare does (base sensitivity, numeric), one collator for the whole sort', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'A', 'á', 'b', 'svc-2', 'svc-10', 'Svc-1', 'z', ''), { maxLength: 20 }), (names) => {
        const keys = names.map((name) => key({ name }))
        const out = sortKeys(keys, { column: 'name', direction: 'asc' }, NOW)
        const oracle = keys
          .map((k, i) => ({ k, i }))
          .sort((x, y) => x.k.name.localeCompare(y.k.name, undefined, { sensitivity: 'base', numeric: true }) || x.i - y.i)
          .map((x) => x.k)
        expect(out).toEqual(oracle)
        expect(sortOrder(keys, { column: 'name', direction: 'asc' }, NOW).map((i) => keys[i])).toEqual(out)
      })
    )
  })
})

/** The plain reading of the rules, as an oracle for the indexed implementation. */
function naiveFilter(keys: ApiKey[], f: { text: string; statuses: readonly string[]; scopes: readonly string[] }) {
  const terms = f.text.toLowerCase().split(/\s+/).filter(Boolean)
  return keys.filter(
    (k) =>
      (f.statuses.length === 0 || f.statuses.some((s) => matchesStatus(s as never, keyStatus(k, NOW)))) &&
      f.scopes.every((s) => k.scopes.includes(s)) &&
      terms.every((t) => [k.name, k.key_preview, k.id].some((field) => field.toLowerCase().includes(t)))
  )
}

describe('filterIndex', () => {
  it('agrees with the plain reading of the rules on random filters', async () => {
    const { buildKeyIndex, filterIndex } = await import('../../../src/shared/key-view')
    const keys = Array.from({ length: 60 }, (_, i) =>
      key({
        name: ['billing-prod', 'risk-qa', 'ledger-dev'][i % 3]! + `-${i}`,
        scopes: i % 2 ? ['audit:read'] : ['decisions:evaluate', 'audit:read'],
        expires_at: i % 5 === 0 ? iso(NOW - DAY) : i % 7 === 0 ? iso(NOW + 2 * DAY) : null,
        revoked_at: i % 11 === 0 ? iso(NOW - DAY) : null,
        is_active: i % 11 !== 0
      })
    )
    const index = buildKeyIndex(keys, NOW)
    fc.assert(
      fc.property(
        fc.constantFrom('', 'prod', 'QA 1', 'ledger dev-4', 'zzz', '…'),
        fc.subarray(['active', 'expiring', 'expired', 'revoked'] as const),
        fc.subarray(['audit:read', 'decisions:evaluate'] as const),
        (text, statuses, scopes) => {
          expect(filterIndex(index, { text, statuses, scopes })).toEqual(naiveFilter(keys, { text, statuses, scopes }))
        }
      )
    )
  })
})
