import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/main/core'
import type { ApiKey } from '../../src/shared/meshqu'
import type { JournalEntry } from '../../src/shared/journal'
import type { ScheduledRevoke } from '../../src/shared/schedule'
import { coreOptions, ok, pause, scheduleServer, tenantInput, until } from './schedule-server'

// What the scheduled runner trusts, and what it does when it should not: a schedule moved while
// the runner works, a server asking for a year's pause, a second KeyDesk on one data dir, a wall
// clock that jumps, and an id that names another key by the time it is due.

const HOUR = 3_600_000
type Server = Awaited<ReturnType<typeof scheduleServer>>
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {})
})

function setup(extra: { monotonic?: () => number } = {}) {
  const state = { clock: Date.parse('2026-11-23T12:00:00Z') }
  const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
  const start = () => {
    const core = createCore(coreOptions(dataDir, () => state.clock, extra))
    cleanups.push(() => core.dispose())
    return core
  }
  return { state, dataDir, start }
}

async function addTenant(core: Core, server: Server, label = 'trust') {
  cleanups.push(() => server.close())
  const tenant = ok<{ id: string }>(await core.invoke('tenants.add', tenantInput(label, server.url))).id
  ok(await core.invoke('keys.listAll', { tenant }))
  return tenant
}

const scheduleOf = async (core: Core, tenant: string, id: number) =>
  ok<{ schedules: ScheduledRevoke[] }>(await core.invoke('schedule.list', { tenant })).schedules.find((s) => s.id === id)!
const settled = (core: Core, tenant: string, id: number) =>
  until(async () => {
    const s = await scheduleOf(core, tenant, id)
    return s.state === 'done' || s.state === 'failed' || s.state === 'cancelled' ? s : undefined
  })
const journalOf = async (core: Core, tenant: string, keyId: string) =>
  ok<{ entries: JournalEntry[] }>(await core.invoke('journal.forKey', { tenant, keyId })).entries

describe('the scheduled runner trusts only what it checked', () => {
  it('a schedule postponed while the runner works through its tenant does not fire at the old time', async () => {
    const { state, start } = setup()
    const server = await scheduleServer(['k1', 'k2'])
    const core = start()
    const tenant = await addTenant(core, server)
    const first = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: 'k1', at: state.clock + 1000 }))
    const second = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: 'k2', at: state.clock + 1000 }))
    const release = server.hold('k1')
    state.clock += 1000 // both come due in the same check
    await until(() => (server.deletes('k1') === 1 ? true : undefined))
    // The operator postpones the second while the first is on its way.
    const moved = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: 'k2', in: '24h' }))
    expect(moved).toMatchObject({ id: second.id, dueAt: state.clock + 24 * HOUR, state: 'scheduled' })
    release()
    expect((await settled(core, tenant, first.id)).state).toBe('done')
    await pause(300) // several checks
    expect(await scheduleOf(core, tenant, second.id)).toMatchObject({ state: 'scheduled', dueAt: moved.dueAt })
    expect(server.deletes('k2')).toBe(0)
    expect((await journalOf(core, tenant, 'k2')).map((e) => e.action)).toEqual(['schedule.set', 'schedule.set'])
    // At its new time it runs, and the journal names that time.
    state.clock = moved.dueAt
    expect((await settled(core, tenant, second.id)).state).toBe('done')
    const ran = (await journalOf(core, tenant, 'k2'))[0]!
    expect(ran).toMatchObject({ action: 'schedule.revoke', outcome: 'ok' })
    expect(ran.detail).toContain(new Date(moved.dueAt).toISOString())
  })

  it("a year's Retry-After holds one tenant only (capped), and quitting does not wait for it", async () => {
    const { state, start } = setup()
    const slow = await scheduleServer(['s1'])
    const fine = await scheduleServer(['f1'])
    const core = start()
    const slowTenant = await addTenant(core, slow, 'slow')
    const fineTenant = await addTenant(core, fine, 'fine')
    slow.rateLimit('s1', String(365 * 24 * 3600))
    const held = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant: slowTenant, keyId: 's1', in: 'now' }))
    const tried = await until(async () => {
      const s = await scheduleOf(core, slowTenant, held.id)
      return s.attempts === 1 && s.state === 'scheduled' ? s : undefined
    })
    expect(tried.lastErrorCode).toBe('RATE_LIMITED')
    // No server may hold KeyDesk longer than a rate-limit window (an hour).
    expect(tried.lastError).toContain('3600 s')
    // Its retry comes due: the tenant's pacing holds it, in the runner's hands.
    state.clock = tried.nextAttemptAt!
    await until(async () => ((await scheduleOf(core, slowTenant, held.id)).state === 'running' ? true : undefined))
    // Another tenant's revoke due now runs meanwhile.
    const other = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant: fineTenant, keyId: 'f1', in: 'now' }))
    expect((await settled(core, fineTenant, other.id)).state).toBe('done')
    const t0 = Date.now()
    await core.dispose()
    expect(Date.now() - t0).toBeLessThan(3000)
  })

  it("a second KeyDesk on the same data dir does not run the first one's revoke again", async () => {
    const { state, start } = setup()
    const server = await scheduleServer(['k1'])
    const a = start()
    const tenant = await addTenant(a, server)
    const release = server.hold('k1')
    const s = ok<ScheduledRevoke>(await a.invoke('schedule.revoke', { tenant, keyId: 'k1', in: 'now' }))
    await until(() => (server.deletes('k1') === 1 ? true : undefined))
    const b = start() // e.g. `start:web` beside the app
    expect(ok<{ schedules: ScheduledRevoke[] }>(await b.invoke('schedule.list', { tenant })).schedules[0]).toMatchObject({ id: s.id })
    await pause(400) // b's start-up and several of its checks
    expect(server.deletes('k1')).toBe(1)
    release()
    expect((await settled(a, tenant, s.id)).state).toBe('done')
    await pause(200)
    expect(server.deletes('k1')).toBe(1)
    expect((await journalOf(a, tenant, 'k1')).filter((e) => e.action === 'schedule.revoke')).toHaveLength(1)
    void state
  })

  it('a forward jump of the wall clock holds the runner until the operator confirms', async () => {
    let mono = 1_000_000
    const { state, start } = setup({ monotonic: () => mono })
    const server = await scheduleServer(['k1', 'k2'])
    const core = start()
    const tenant = await addTenant(core, server)
    const s = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: 'k1', in: '24h' }))
    await pause(100)
    // The wall clock steps a day ahead; only a moment passed.
    state.clock += 24 * HOUR
    mono += 50
    const held = await until(async () => {
      const r = ok<{ hold?: { reason: string; jumpMs: number } | null }>(await core.invoke('schedule.list', { tenant }))
      return r.hold ? r.hold : undefined
    })
    expect(held.jumpMs).toBeGreaterThan(23 * HOUR)
    expect(held.reason).toMatch(/clock/i)
    await pause(200)
    expect(await scheduleOf(core, tenant, s.id)).toMatchObject({ state: 'scheduled', attempts: 0 })
    expect(server.deletes('k1')).toBe(0)
    expect((await journalOf(core, tenant, 'k1')).map((e) => e.action)).toEqual(['schedule.hold', 'schedule.set'])
    // The operator says the clock is right: it runs.
    ok(await core.invoke('schedule.resume', {}))
    expect((await settled(core, tenant, s.id)).state).toBe('done')
    expect(ok<{ hold?: unknown }>(await core.invoke('schedule.list', { tenant })).hold).toBeNull()

    // A jump the clock takes back again releases the hold by itself.
    const later = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: 'k2', in: '1h' }))
    await pause(100)
    state.clock += 2 * HOUR
    await until(async () => (ok<{ hold?: unknown }>(await core.invoke('schedule.list', { tenant })).hold ? true : undefined))
    state.clock -= 2 * HOUR
    await until(async () => (ok<{ hold?: unknown }>(await core.invoke('schedule.list', { tenant })).hold === null ? true : undefined))
    expect((await scheduleOf(core, tenant, later.id)).state).toBe('scheduled')
    mono += HOUR
    state.clock += HOUR
    expect((await settled(core, tenant, later.id)).state).toBe('done')
  })

  it('an id MeshQu gave to another key by the time it is due is not revoked', async () => {
    const { state, start } = setup()
    const server = await scheduleServer(['k1', 'k2'])
    const core = start()
    const tenant = await addTenant(core, server)
    const s = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: 'k1', in: '1h' }))
    // k1 is gone and its id now names a new key (same shape, another preview and creation time).
    server.keys.set('k1', { ...server.keys.get('k1')!, name: 'someone-else', key_preview: 'mqu_live_...zzzz', created_at: '2026-11-23T12:30:00Z' })
    state.clock += HOUR
    const failed = await settled(core, tenant, s.id)
    expect(failed).toMatchObject({ state: 'failed' })
    expect(failed.lastError).toMatch(/not the key that was scheduled/i)
    expect(server.deletes('k1')).toBe(0)
    const entry = (await journalOf(core, tenant, 'k1'))[0]!
    expect(entry).toMatchObject({ action: 'schedule.revoke', outcome: 'failed' })
    expect(entry.detail).toMatch(/not revoked/i)
    const key = ok<ApiKey>(await core.invoke('keys.get', { tenant, id: 'k1' }))
    expect(key.revoked_at).toBeNull()

    // Same preview, another creation time: still another key.
    const s2 = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: 'k2', in: '1h' }))
    server.keys.set('k2', { ...server.keys.get('k2')!, created_at: '2026-11-23T12:30:00Z' })
    state.clock += HOUR
    expect(await settled(core, tenant, s2.id)).toMatchObject({ state: 'failed' })
    expect(server.deletes('k2')).toBe(0)
  })
})
