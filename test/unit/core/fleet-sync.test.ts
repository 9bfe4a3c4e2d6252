import { describe, expect, it } from 'vitest'
import { createFleetSync, type FleetSyncDeps, type FleetSyncChange } from '../../../src/main/core/sync/fleet-sync'
import { createTenantStatus } from '../../../src/main/core/tenants/status'
import { silentLogger } from '../../../src/main/core/log'
import { CoreError } from '../../../src/main/core/errors'
import type { TenantStatus } from '../../../src/shared/tenants'

const MIN = 60_000

/** A fleet of fake tenants; each sync takes one turn of `release()` so overlap can be counted. */
function fakeFleet(n: number, opts: { statuses?: Record<string, TenantStatus>; failing?: Record<string, CoreError> } = {}) {
  let clock = 1_000_000
  const tenants = Array.from({ length: n }, (_, i) => ({ id: `t${i}`, baseUrl: i % 2 ? 'http://127.0.0.1:1' : 'http://127.0.0.1:2' }))
  const synced: string[] = []
  let inFlight = 0
  let maxInFlight = 0
  const waiting: (() => void)[] = []
  let auto = true
  let ready = true
  const probes: string[] = []
  const rateLimited = new Map<string, number>()
  const deps: FleetSyncDeps = {
    tenants: async () => tenants,
    statusOf: (id) => opts.statuses?.[id] ?? 'online',
    syncTenant: async (id, signal) => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        if (!auto)
          await new Promise<void>((resolve, reject) => {
            waiting.push(resolve)
            signal.addEventListener('abort', () => reject(new CoreError('CANCELLED', 'cancelled')), { once: true })
          })
        else await new Promise((r) => setTimeout(r, 1))
        const failure = opts.failing?.[id]
        if (failure) throw failure
        synced.push(id)
        return clock
      } finally {
        inFlight--
      }
    },
    storedSyncTimes: async () => new Map([['t0', clock - 45 * MIN]]),
    rateLimitedUntil: (id) => rateLimited.get(id) ?? null,
    isSettling: () => false,
    ready: () => ready,
    probeHost: async (b) => {
      probes.push(b)
      return true
    },
    hosts: () => [],
    periodMs: () => 15 * MIN,
    now: () => clock,
    log: silentLogger,
    tickMs: 60_000
  }
  return {
    deps,
    synced,
    probes,
    rateLimited,
    get maxInFlight() {
      return maxInFlight
    },
    hold: () => void (auto = false),
    releaseOne: () => waiting.shift()?.(),
    pending: () => waiting.length,
    advance: (ms: number) => void (clock += ms),
    setReady: (r: boolean) => void (ready = r)
  }
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 2))
  }
}

describe('fleet sync', () => {
  it('syncs every tenant, skips offline and locked ones and says why, and counts its progress', async () => {
    const f = fakeFleet(6, { statuses: { t1: 'offline', t2: 'keychain-locked' } })
    const sync = createFleetSync(f.deps)
    const changes: FleetSyncChange[] = []
    sync.onChange((c) => changes.push(c))
    await (
      await sync.syncAll('manual')
    ).finished
    expect(f.synced.sort()).toEqual(['t0', 't3', 't4', 't5'])
    const s = await sync.status()
    expect(s).toMatchObject({ running: false, cancelled: false, periodMs: 15 * MIN })
    const byId = new Map(s.tenants.map((t) => [t.tenant, t]))
    expect(byId.get('t1')).toMatchObject({ state: 'skipped', skipped: 'offline', status: 'offline' })
    expect(byId.get('t2')).toMatchObject({ state: 'skipped', skipped: 'keychain-locked' })
    expect(byId.get('t0')).toMatchObject({ state: 'synced', stale: false, syncedAt: 1_000_000 })
    // Never synced: stale (no data at all).
    expect(byId.get('t1')).toMatchObject({ syncedAt: null, stale: true })
    const progress = changes.filter((c) => c.kind === 'progress')
    expect(progress.at(-1)).toEqual({ kind: 'progress', running: false, done: 6, total: 6 })
    expect(progress.some((c) => c.kind === 'progress' && c.running && c.done === 3)).toBe(true)
  })

  it('lists at most `concurrency` tenants at once', async () => {
    const f = fakeFleet(8)
    const sync = createFleetSync({ ...f.deps, concurrency: 2 })
    await (
      await sync.syncAll()
    ).finished
    expect(f.synced).toHaveLength(8)
    expect(f.maxInFlight).toBe(2)
  })

  it('Cancel stops the run: tenants already synced stay synced, the rest are not listed', async () => {
    const f = fakeFleet(5)
    f.hold()
    const sync = createFleetSync({ ...f.deps, concurrency: 1 })
    const { finished } = await sync.syncAll()
    await until(() => f.pending() === 1)
    f.releaseOne()
    await until(() => f.pending() === 1)
    expect((await sync.status()).done).toBe(1)
    sync.cancel()
    await finished
    expect(f.synced).toEqual(['t0'])
    const s = await sync.status()
    expect(s).toMatchObject({ running: false, cancelled: true })
    expect(s.tenants.filter((t) => t.state === 'idle').map((t) => t.tenant)).toEqual(['t2', 't3', 't4'])
  })

  it('runs once the store is open, then again after each period; probes every host each tick', async () => {
    const f = fakeFleet(2)
    f.setReady(false)
    const sync = createFleetSync(f.deps)
    await sync.tick()
    expect(f.synced).toEqual([])
    expect(f.probes).toEqual([])
    f.setReady(true)
    await sync.tick()
    await until(() => f.synced.length === 2)
    expect(f.probes.sort()).toEqual(['http://127.0.0.1:1', 'http://127.0.0.1:2'])
    f.advance(14 * MIN)
    await sync.tick()
    await new Promise((r) => setTimeout(r, 20))
    expect(f.synced).toHaveLength(2)
    f.advance(1 * MIN)
    await sync.tick()
    await until(() => f.synced.length === 4)
  })

  it('skips a tenant held by a long Retry-After, and says so', async () => {
    const f = fakeFleet(2)
    const sync = createFleetSync(f.deps)
    f.rateLimited.set('t1', 1_000_000 + 10 * MIN)
    await (
      await sync.syncAll()
    ).finished
    expect(f.synced).toEqual(['t0'])
    const t1 = (await sync.status()).tenants.find((t) => t.tenant === 't1')
    expect(t1).toMatchObject({ state: 'skipped', skipped: 'rate-limited', rateLimitedUntil: 1_000_000 + 10 * MIN })
  })

  it('a failure names its reason; a host back lists only its tenants; settleNow lists one tenant at once', async () => {
    const f = fakeFleet(4, { failing: { t3: new CoreError('UPSTREAM', 'MeshQu answered 500.') } })
    const sync = createFleetSync(f.deps)
    await (
      await sync.syncAll()
    ).finished
    expect((await sync.status()).tenants.find((t) => t.tenant === 't3')).toMatchObject({ state: 'failed', error: 'MeshQu answered 500.' })
    f.synced.length = 0
    await sync.hostBack('http://127.0.0.1:1')
    expect(f.synced.sort()).toEqual(['t1'])
    f.synced.length = 0
    await sync.settleNow('t2')
    expect(f.synced).toEqual(['t2'])
  })

  it('stop ends a settling list started by a write, and waits for it (the store closes after)', async () => {
    const f = fakeFleet(2)
    f.hold()
    const sync = createFleetSync(f.deps)
    let ended = false
    const settling = sync.settleNow('t1').then(
      () => (ended = true),
      () => (ended = true)
    )
    await until(() => f.pending() === 1)
    await sync.stop()
    // stop() returned only once the list had ended: it was aborted, not left running.
    expect(ended).toBe(true)
    expect(f.synced).toEqual([])
    await settling
  })

  it('marks data older than two periods stale', async () => {
    const f = fakeFleet(1)
    const sync = createFleetSync(f.deps)
    expect((await sync.status()).tenants[0]).toMatchObject({ syncedAt: 1_000_000 - 45 * MIN, stale: true })
    const g = fakeFleet(1)
    const sync2 = createFleetSync({ ...g.deps, periodMs: () => 30 * MIN })
    expect((await sync2.status()).tenants[0]).toMatchObject({ stale: false })
  })
})

describe('tenant status per host', () => {
  const hosts: Record<string, string> = { a: 'http://h1', b: 'http://h1', c: 'http://h2' }
  const book = () => createTenantStatus({ hostOf: (id) => hosts[id], now: () => 1 })

  it("one tenant's network failure takes every tenant on its host offline; one answer brings them all back", () => {
    const s = book()
    const changes: [string, boolean][] = []
    s.onHostChange((b, r) => changes.push([b, r]))
    s.record('a', null)
    s.record('c', null)
    s.record('a', { code: 'OFFLINE', message: 'refused' })
    expect([s.get('a'), s.get('b'), s.get('c')]).toEqual(['offline', 'offline', 'online'])
    s.record('b', null)
    expect([s.get('a'), s.get('b')]).toEqual(['online', 'online'])
    expect(changes).toEqual([
      ['http://h1', false],
      ['http://h1', true]
    ])
  })

  it('a probe marks the host; an HTTP error status means the host answered', () => {
    const s = book()
    s.probed('http://h2', false)
    expect(s.get('c')).toBe('offline')
    s.record('c', { code: 'UPSTREAM', message: '503', status: 503 })
    expect(s.get('c')).toBe('online')
    s.record('c', { code: 'TIMEOUT', message: '408', status: 408 })
    expect(s.get('c')).toBe('online')
  })

  it('a write of unknown outcome is settling, not offline, until settled; the admin key refused stays per tenant', () => {
    const s = book()
    s.record('a', null)
    s.record('a', { code: 'OFFLINE', message: 'dropped', outcome: 'unknown' })
    expect(s.get('a')).toBe('settling')
    expect(s.get('b')).toBe('online')
    s.settled('a')
    expect(s.get('a')).toBe('online')
    s.record('b', { code: 'UNAUTHORIZED', message: 'refused', status: 401 })
    expect([s.get('a'), s.get('b')]).toEqual(['online', 'auth-failed'])
  })
})
