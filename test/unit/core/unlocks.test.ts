import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/core/log'
import { createUnlocks, type Unlocks } from '../../../src/main/core/tenants/unlocks'
import { createWriteGuard } from '../../../src/main/core/tenants/write-guard'
import type { RecordInput } from '../../../src/main/core/journal/journal'
import type { TenantProfile } from '../../../src/shared/tenants'

const MIN = 60_000
let clock = 1_000_000
let unlocks: Unlocks | null = null
afterEach(async () => {
  await unlocks?.dispose()
  unlocks = null
})

function setup() {
  const entries: RecordInput[] = []
  unlocks = createUnlocks({
    journal: {
      record: async (e) => {
        entries.push(e)
        return null
      }
    },
    log: silentLogger,
    now: () => clock,
    sweepEveryMs: 60_000
  })
  return { u: unlocks, entries }
}

const profile = (over: Partial<TenantProfile>): TenantProfile => ({
  id: 'p1',
  label: 'acme-prod',
  tenantId: '123e4567-e89b-12d3-a456-426614174000',
  baseUrl: 'https://api.meshqu.test',
  environment: 'production',
  color: '#d32f2f',
  adminKeyPreview: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  embedded: false,
  ...over
})

describe('unlocks', () => {
  it('hold for their time, for their tenant only, and journal start and end with the reason', async () => {
    const { u, entries } = setup()
    await u.start('p1', 'acme-prod', 'INC-1', 5)
    expect(await u.active('p1')).toMatchObject({ reason: 'INC-1', until: clock + 5 * MIN })
    expect(await u.active('p2')).toBeNull()
    clock += 5 * MIN - 1
    expect(await u.active('p1')).not.toBeNull()
    clock += 1
    expect(await u.active('p1')).toBeNull()
    expect(entries.map((e) => [e.action, e.reason, e.detail])).toEqual([
      ['tenant.unlock', 'INC-1', 'Writes unlocked for 5 minutes.'],
      ['tenant.lock', 'INC-1', 'Writes locked again: its time was up.']
    ])
  })

  it('end after 10 minutes without activity; activity restarts the idle clock', async () => {
    const { u, entries } = setup()
    await u.start('p1', 'acme-prod', 'long', 30)
    clock += 9 * MIN
    await u.touch()
    clock += 9 * MIN
    expect(await u.active('p1')).not.toBeNull()
    clock += 1 * MIN
    expect(await u.active('p1')).toBeNull()
    expect(entries.at(-1)?.detail).toBe('Writes locked again: nothing was done for 10 minutes.')
  })

  it('all end, journaled, when KeyDesk quits', async () => {
    const { u, entries } = setup()
    await u.start('p1', 'acme-prod', 'a', 15)
    await u.start('p2', 'globex-prod', 'a', 15)
    await u.dispose()
    unlocks = null
    expect(entries.filter((e) => e.action === 'tenant.lock').map((e) => [e.tenant, e.detail])).toEqual([
      ['p1', 'Writes locked again: KeyDesk quit.'],
      ['p2', 'Writes locked again: KeyDesk quit.']
    ])
  })
})

describe('the write guard', () => {
  it('refuses a locked read-only tenant; the keychain copy of the level wins when stricter', async () => {
    const { u } = setup()
    let stored = profile({ level: 'open' })
    let bound: 'open' | 'read-only' = 'read-only'
    const guard = createWriteGuard({
      profiles: { get: async () => stored },
      adminKeys: { confirmed: async () => ({ baseUrl: stored.baseUrl, tenantId: stored.tenantId, environment: 'production', level: bound }) },
      unlocks: u
    })
    await expect(guard.assertWritable(['p1'])).rejects.toMatchObject({ code: 'READ_ONLY', extra: { outcome: 'not-sent' } })
    await u.start('p1', 'acme-prod', 'r', 5)
    await expect(guard.assertWritable(['p1'])).resolves.toBeUndefined()
    await u.end('p1', 'lock-now')
    bound = 'open'
    stored = profile({ level: 'protected' })
    await expect(guard.assertWritable(['p1'])).resolves.toBeUndefined()
  })
})
