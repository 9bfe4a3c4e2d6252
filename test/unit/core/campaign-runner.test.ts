import Database from 'better-sqlite3-multiple-ciphers'
import { describe, expect, it } from 'vitest'
import { createCampaigns, type CampaignDeps } from '../../../src/main/core/campaigns/runner'
import { CoreError } from '../../../src/main/core/errors'
import { silentLogger } from '../../../src/main/core/log'
import { campaignsMigration } from '../../../src/main/core/store/migrations/campaigns'
import { createCampaignTable } from '../../../src/main/core/store/campaign-table'
import type { ApiKey } from '../../../src/shared/meshqu'

const T = 'tenant-a'

/** The runner over a real campaign table (in memory) and fakes of MeshQu, the keychain and the clock. */
function harness(o: { leaseMs?: number } = {}) {
  const db = new Database(':memory:')
  campaignsMigration(db)
  const table = createCampaignTable(db)
  const campaigns = Object.fromEntries(
    Object.entries(table).map(([k, f]) => [k, async (...a: unknown[]) => (f as (...x: unknown[]) => unknown)(...a)])
  )
  let clock = 10_000_000
  let seq = 0
  const server: ApiKey[] = []
  const key = (name: string, extra: Partial<ApiKey> = {}): ApiKey =>
    ({
      id: `k${++seq}`,
      name,
      key_preview: `mq_${seq}`,
      scopes: ['decisions:evaluate'],
      created_at: new Date(clock).toISOString(),
      expires_at: null,
      revoked_at: null,
      is_active: true,
      tenant_id: 't1',
      last_used_at: null,
      ...extra
    }) as ApiKey
  const calls = { create: 0, revoke: 0 }
  const h = {
    db,
    server,
    key,
    calls,
    now: () => clock,
    advance: (ms: number) => (clock += ms),
    createImpl: async (name: string): Promise<ApiKey> => {
      const k = key(name)
      server.push(k)
      return k
    },
    revokeImpl: async (id: string) => {
      const k = server.find((s) => s.id === id)
      if (k) k.revoked_at = new Date(clock).toISOString()
    },
    takeImpl: async () => {}
  }
  const deps = {
    store: {
      campaigns,
      state: () => 'ready',
      headOf: async () => null,
      keyById: async (_t: string, id: string) => server.find((k) => k.id === id) ?? null
    },
    sessions: {
      open: async () => ({
        client: {
          getKey: async (id: string) => {
            const k = server.find((s) => s.id === id)
            if (!k) throw new CoreError('NOT_FOUND', 'gone', { status: 404 })
            return { data: { key: { ...k } } }
          },
          listKeys: async () => ({ data: { data: server.map((k) => ({ ...k })), pagination: { has_more: false } } })
        }
      })
    },
    profiles: { get: async (id: string) => ({ id, label: id }) },
    journal: { record: async () => {} },
    log: silentLogger,
    now: () => clock,
    create: async (r: { key: { name: string } }) => {
      calls.create++
      const k = await h.createImpl(r.key.name)
      return { key: k, revealId: `slot-${k.id}`, revealExpiresAt: clock + 60_000 }
    },
    revoke: async (r: { id: string }) => {
      calls.revoke++
      await h.revokeImpl(r.id)
      return { key: null }
    },
    slots: { reveal: () => 'plain', discard: () => true },
    guard: { locked: async () => [], assertWritable: async () => {} },
    pacing: { take: () => h.takeImpl() },
    granularityMs: 100,
    checkEveryMs: 100,
    tickMs: 3_600_000,
    leaseMs: o.leaseMs ?? 120_000
  } as unknown as CampaignDeps
  const runner = createCampaigns(deps)
  const start = (keys: ApiKey[], namePattern = '{name}-new') =>
    runner.begin({
      keys: keys.map((k) => ({ tenant: T, keyId: k.id })),
      namePattern,
      expiresInDays: null,
      quietWindowMs: 1000,
      deadlineMs: 3_600_000,
      pacingShare: 0.5
    })
  const row = (campaignId: string, i = 0) => table.keys(campaignId)[i]!
  return { ...h, runner, table, start, row, h }
}

describe('the campaign runner', () => {
  it('backs off a create that fails for a while: one try a pass, none before the backoff ends, longer each time', async () => {
    const x = harness()
    const old = x.key('billing')
    x.server.push(old)
    x.h.createImpl = async () => {
      throw new CoreError('READ_ONLY', 'The tenant is read-only.')
    }
    const { campaign } = await x.start([old])
    await x.runner.pass()
    expect(x.calls.create).toBe(1)
    expect(x.row(campaign.id)).toMatchObject({ state: 'planned', last_error_code: 'READ_ONLY' })
    await x.runner.pass()
    expect(x.calls.create).toBe(1)
    x.advance(61_000)
    await x.runner.pass()
    expect(x.calls.create).toBe(2)
    // the second backoff is longer than the first
    x.advance(61_000)
    await x.runner.pass()
    expect(x.calls.create).toBe(2)
    x.advance(120_000)
    x.h.createImpl = async (name) => {
      const k = x.key(name)
      x.server.push(k)
      return k
    }
    await x.runner.pass()
    expect(x.calls.create).toBe(3)
    expect(x.row(campaign.id).state).toBe('created')
  })

  it('backs off a revoke that fails for a while: one try a pass, not again before the backoff ends', async () => {
    const x = harness()
    const old = x.key('billing')
    x.server.push(old)
    const { campaign } = await x.start([old])
    await x.runner.pass()
    const r = x.row(campaign.id)
    expect(r.state).toBe('created')
    await x.runner.handOver(campaign.id, r.id)
    x.server.find((k) => k.id === r.new_key_id)!.last_used_at = new Date(x.now()).toISOString()
    x.advance(1000)
    x.h.revokeImpl = async () => {
      throw new CoreError('OFFLINE', 'MeshQu cannot be reached.')
    }
    await x.runner.pass()
    expect(x.calls.revoke).toBe(1)
    expect(x.row(campaign.id)).toMatchObject({ state: 'revoking', last_error_code: 'OFFLINE' })
    await x.runner.pass()
    expect(x.calls.revoke).toBe(1)
    x.advance(61_000)
    x.h.revokeImpl = async (id) => {
      x.server.find((k) => k.id === id)!.revoked_at = new Date(x.now()).toISOString()
    }
    await x.runner.pass()
    expect(x.calls.revoke).toBe(2)
    expect(x.row(campaign.id).state).toBe('revoked')
  })
})

describe('a create whose answer was lost', () => {
  it('is not sent again while MeshQu may still be working on it: the row stays claimed for the lease, then adopts the late key', async () => {
    const x = harness({ leaseMs: 120_000 })
    const old = x.key('billing')
    x.server.push(old)
    let late: ApiKey | undefined
    x.h.createImpl = async (name) => {
      // MeshQu got the POST but had not answered, nor listed the key, when the client gave up.
      late = x.key(name)
      throw new CoreError('TIMEOUT', 'MeshQu did not answer in time.', { outcome: 'unknown' })
    }
    const { campaign } = await x.start([old])
    await x.runner.pass()
    expect(x.calls.create).toBe(1)
    x.h.createImpl = async (name) => {
      const k = x.key(name)
      x.server.push(k)
      return k
    }
    x.advance(1000)
    await x.runner.pass()
    expect(x.calls.create).toBe(1)
    expect(x.row(campaign.id).state).toBe('creating')
    // now it is listed
    x.server.push(late!)
    x.advance(120_000)
    await x.runner.pass()
    expect(x.calls.create).toBe(1)
    expect(x.row(campaign.id)).toMatchObject({ state: 'created', new_key_id: late!.id })
    expect(x.server.filter((k) => k.name === 'billing-new')).toHaveLength(1)
  })
})

describe('replacement names', () => {
  it('are unique within a campaign: two old keys of one name, or a pattern without {name}, get -2, -3 (within 100 characters)', async () => {
    const x = harness()
    const a = x.key('billing')
    const b = x.key('billing')
    const long = x.key('x'.repeat(100))
    const long2 = x.key('x'.repeat(100))
    x.server.push(a, b, long, long2)
    const { campaign } = await x.start([a, b, long, long2])
    const names = x.table.keys(campaign.id).map((r) => r.replacement_name)
    expect(names.slice(0, 2)).toEqual(['billing-new', 'billing-new-2'])
    expect(names[2]).toBe('x'.repeat(100))
    expect(names[3]).toBe('x'.repeat(98) + '-2')
    const others = [x.key('a'), x.key('b'), x.key('c')]
    x.server.push(...others)
    const fixed = await x.start(others, 'svc')
    expect(x.table.keys(fixed.campaign.id).map((r) => r.replacement_name)).toEqual(['svc', 'svc-2', 'svc-3'])
  })

  it("a lost create's search by name never adopts a key another campaign row already holds as its replacement", async () => {
    const x = harness()
    const first = x.key('billing')
    const second = x.key('billing')
    x.server.push(first, second)
    const one = await x.start([first])
    await x.runner.pass()
    const held = x.row(one.campaign.id)
    expect(held.state).toBe('created')
    x.h.createImpl = async () => {
      // refused before MeshQu made anything, but the answer never came back
      throw new CoreError('TIMEOUT', 'MeshQu did not answer in time.', { outcome: 'unknown' })
    }
    const two = await x.start([second])
    await x.runner.pass()
    expect(x.row(two.campaign.id).state).toBe('creating')
    x.h.createImpl = async (name) => {
      const k = x.key(name)
      x.server.push(k)
      return k
    }
    x.advance(120_000)
    await x.runner.pass()
    const adopted = x.row(two.campaign.id)
    expect(adopted.state).toBe('created')
    expect(adopted.new_key_id).not.toBe(held.new_key_id)
    expect(x.calls.create).toBe(3)
  })
})

describe('revoke anyway', () => {
  it('waiting long on pacing, its row is neither taken by the lane nor revoked twice', async () => {
    const x = harness({ leaseMs: 120_000 })
    const old = x.key('billing')
    x.server.push(old)
    const { campaign } = await x.start([old])
    await x.runner.pass()
    const r = x.row(campaign.id)
    await x.runner.handOver(campaign.id, r.id)
    x.table.transition(r.id, { from: ['waiting'] }, { state: 'held', held_reason: 'still-in-use', next_check_at: null })
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    x.h.takeImpl = () => gate
    const anyway = x.runner.revokeAnyway(campaign.id, r.id, 'billing', 'the old service is gone')
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(x.row(campaign.id).state).toBe('revoking')
    // the window is spent: the wait outlasts the claim's first lease
    x.h.takeImpl = async () => {}
    x.advance(300_000)
    await x.runner.pass()
    expect(x.calls.revoke).toBe(0)
    expect(x.row(campaign.id).lease_until).toBeGreaterThan(x.now())
    release()
    const done = await anyway
    expect(done.state).toBe('revoked')
    expect(x.calls.revoke).toBe(1)
  })
})
