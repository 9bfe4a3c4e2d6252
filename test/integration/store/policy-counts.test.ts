import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createFleetStore, type InProcessFleetStore } from '../../../src/main/core/store/fleet-store'
import { silentLogger } from '../../../src/main/core/log'
import { DEFAULT_RADAR_RULES } from '../../../src/shared/radar'
import { DEFAULT_POLICY, POLICY_CLOCK_GRACE_MS, keyPolicyBreaches, type EnvironmentPolicy } from '../../../src/shared/policy'
import { SCOPE_PRESET_IDS } from '../../../src/shared/scope-presets'
import { SCOPES } from '../../../src/shared/scopes'
import { makeKey } from '../../fixtures/keys'

// "Outside policy" is counted in SQL over the store (store/radar.ts) and judged per key in
// shared/policy.ts; these hold the two to one answer, waivers included.
const T0 = Date.parse('2026-12-07T12:00:00Z')
const DAY = 86_400_000
const OWN = 'mqu_live_...0own'
const iso = (ms: number) => new Date(ms).toISOString()

const opened: InProcessFleetStore[] = []
function newStore() {
  const path = join(mkdtempSync(join(tmpdir(), 'keydesk-policy-counts-')), 'keydesk.db')
  const key = randomBytes(32)
  const store = createFleetStore({ path, dataKey: async () => key, log: silentLogger, now: () => T0 })
  opened.push(store)
  return store
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close()
})

const policyArb: fc.Arbitrary<EnvironmentPolicy> = fc.record({
  maxExpiryDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
  expiryRequired: fc.boolean(),
  forbiddenScopes: fc.subarray([...SCOPES]),
  allowedPresets: fc.option(fc.subarray([...SCOPE_PRESET_IDS], { minLength: 1 }), { nil: null })
})
const keyArb = fc.record({
  created: fc.integer({ min: T0 - 400 * DAY, max: T0 }),
  lifetime: fc.option(fc.oneof(fc.integer({ min: 1, max: 500 * DAY }), fc.constantFrom(90 * DAY + POLICY_CLOCK_GRACE_MS, 90 * DAY)), {
    nil: null
  }),
  scopes: fc.subarray([...SCOPES], { minLength: 1 }),
  revoked: fc.boolean(),
  own: fc.boolean(),
  waiver: fc.option(fc.integer({ min: -5 * DAY, max: 5 * DAY }), { nil: null })
})

describe('outside policy: the store counts what the rules say', () => {
  it('SQL count and drill-down = keyPolicyBreaches over every key, with waivers running and lapsed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(keyArb, { maxLength: 25 }), policyArb, async (rows, policy) => {
        const store = newStore()
        const keys = rows.map((r, i) =>
          makeKey(`k${i}`, {
            key_preview: r.own ? OWN : `mqu_live_...${String(i).padStart(4, '0')}`,
            scopes: r.scopes,
            created_at: iso(r.created),
            expires_at: r.lifetime === null ? null : iso(r.created + r.lifetime),
            revoked_at: r.revoked ? iso(r.created) : null,
            is_active: !r.revoked
          })
        )
        await store.syncKeys('t1', keys, T0)
        for (const [i, r] of rows.entries()) {
          if (r.waiver !== null)
            await store.policy.waivers.put({ tenant: 't1', keyId: `k${i}`, reason: 'test', until: T0 + r.waiver, createdAt: T0, rules: [] })
        }
        const tenant = {
          tenant: 't1',
          rules: DEFAULT_RADAR_RULES.production,
          ownAdminPreview: OWN,
          policy: { rules: policy, environment: 'production' as const }
        }
        const expected = keys
          .filter((k, i) => {
            const w = rows[i]!.waiver
            return (
              keyPolicyBreaches(k, { now: T0, policy, environment: 'production', ownAdminPreview: OWN, waivedUntil: w === null ? null : T0 + w })
                .length > 0
            )
          })
          .map((k) => k.id)
          .sort()
        const counted = (await store.radar.summary([tenant], T0)).get('t1')!
        expect(counted.counts['outside-policy']).toBe(expected.length)
        const listed = await store.radar.keys(tenant, 'outside-policy', T0, { limit: 100, offset: 0 })
        expect(listed.map((r) => r.keyId).sort()).toEqual(expected)
        const live = keys.filter((k) => k.revoked_at === null && (k.expires_at === null || Date.parse(k.expires_at) > T0)).length
        expect(counted.live).toBe(live)
        await store.close()
      }),
      { numRuns: 40 }
    )
  })

  it('the policy is kept in the store: defaults until set, then what was set, after a reopen too', async () => {
    const store = newStore()
    expect(await store.policy.get()).toEqual(DEFAULT_POLICY)
    const next = { ...DEFAULT_POLICY, staging: { ...DEFAULT_POLICY.staging, maxExpiryDays: 180 } }
    await store.policy.put(next, T0)
    await store.close()
    expect(await store.policy.get()).toEqual(next)
  })
})
