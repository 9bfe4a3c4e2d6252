import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core, type CoreOptions } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { ApiKey } from '../../src/shared/meshqu'
import type { Rotation } from '../../src/shared/contract'
import type { JournalEntry } from '../../src/shared/journal'
import type { ScheduledRevoke } from '../../src/shared/schedule'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
const HOUR = 3_600_000
let sandbox: Sandbox
let core: Core
let clock = Date.parse('2026-11-23T12:00:00Z')
let tenant: string
const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-schedule-'))
const secrets = createMemorySecretStore()
const options = (): CoreOptions => ({ dataDir, secretStore: secrets, logger: silentLogger, now: () => clock, timeoutMs: 2000, scheduleCheckMs: 20 })

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
/** Polls until `pick` returns a value (the runner works on its own timer); fails after 15 s. */
async function until<T>(pick: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const v = await pick()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error('condition not reached')
    await new Promise((r) => setTimeout(r, 20))
  }
}
const scheduleOf = async (id: number, c = core) =>
  ok<{ schedules: ScheduledRevoke[] }>(await c.invoke('schedule.list', { tenant })).schedules.find((s) => s.id === id)!
const settled = (id: number, c = core) =>
  until(async () => {
    const s = await scheduleOf(id, c)
    return s.state === 'done' || s.state === 'failed' || s.state === 'cancelled' ? s : undefined
  })
const isActive = async (id: string) => ok<ApiKey>(await core.invoke('keys.get', { tenant, id })).revoked_at === null
let pool: ApiKey[] = []
const nextKey = () => pool.shift()!

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 1, seedKeys: 30, quiet: true })
  core = createCore(options())
  const t = sandbox.tenants[0]!
  tenant = ok<{ id: string }>(
    await core.invoke('tenants.add', { label: 'sched', tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
  ).id
  pool = ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant })).keys.filter(
    (k) => k.name !== 'keydesk-sandbox-admin' && k.revoked_at === null && k.expires_at === null
  )
  // The seed is random: top the pool up so the tests never run out of live, non-expiring keys.
  for (let i = 0; pool.length < 12; i++) {
    const made = ok<{ key: ApiKey; revealId: string }>(
      await core.invoke('keys.create', { tenant, key: { name: `sched-pool-${i}`, scopes: ['decisions:read'], expires_at: null } })
    )
    ok(await core.invoke('secrets.discard', { revealId: made.revealId }))
    pool.push(made.key)
  }
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('scheduled revokes', () => {
  it('counts down, fires when due (on the injected clock) and journals both steps', async () => {
    const key = nextKey()
    const s = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: key.id, in: '1h', reason: 'rotation done' }))
    expect(s).toMatchObject({
      state: 'scheduled',
      keyName: key.name,
      keyPreview: key.key_preview,
      dueAt: clock + HOUR,
      msUntilDue: HOUR,
      overdue: false
    })
    clock += HOUR - 1
    // Not yet due: a later schedule due "now" runs first, proving the runner looked and passed it by.
    const marker = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: nextKey().id, in: 'now' }))
    expect((await settled(marker.id)).state).toBe('done')
    expect((await scheduleOf(s.id)).state).toBe('scheduled')
    expect(await isActive(key.id)).toBe(true)
    clock += 1
    const done = await settled(s.id)
    expect(done).toMatchObject({ state: 'done', attempts: 1, doneAt: clock, overdue: false, away: false })
    expect(await isActive(key.id)).toBe(false)
    const journal = ok<{ entries: JournalEntry[] }>(await core.invoke('journal.forKey', { tenant, keyId: key.id })).entries
    expect(journal.map((e) => [e.action, e.outcome, e.reason])).toEqual([
      ['schedule.revoke', 'ok', 'rotation done'],
      ['schedule.set', 'ok', 'rotation done']
    ])
  })

  it('schedules from finishRotation: the reminder stays until the scheduled revoke runs', async () => {
    const old = nextKey()
    const rotated = ok<{ created: { key: ApiKey } }>(await core.invoke('keys.rotate', { tenant, id: old.id, name: `${old.name}-r2` }))
    const finished = ok<{ pending: Rotation[]; scheduled: ScheduledRevoke }>(
      await core.invoke('keys.finishRotation', {
        tenant,
        oldKeyId: old.id,
        newKeyId: rotated.created.key.id,
        revokeOld: false,
        schedule: { in: '24h' }
      })
    )
    expect(finished.scheduled).toMatchObject({ keyId: old.id, dueAt: clock + 24 * HOUR, state: 'scheduled' })
    expect(finished.pending.map((p) => p.oldKeyId)).toContain(old.id)
    expect(
      await core.invoke('keys.finishRotation', {
        tenant,
        oldKeyId: old.id,
        newKeyId: rotated.created.key.id,
        revokeOld: true,
        schedule: { in: '1h' }
      })
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' }
    })
    clock += 24 * HOUR
    expect((await settled(finished.scheduled.id)).state).toBe('done')
    expect(ok<{ pending: Rotation[] }>(await core.invoke('keys.pendingRotations', { tenant })).pending.map((p) => p.oldKeyId)).not.toContain(old.id)
  })

  it('runs at the next start when it came due while KeyDesk was closed, and reports it once', async () => {
    const key = nextKey()
    const s = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: key.id, at: clock + 7 * 24 * HOUR }))
    await core.dispose()
    clock += 8 * 24 * HOUR
    core = createCore(options())
    const done = await settled(s.id)
    expect(done).toMatchObject({ state: 'done', away: true })
    expect(await isActive(key.id)).toBe(false)
    const away = ok<{ results: ScheduledRevoke[] }>(await core.invoke('schedule.away', {})).results
    expect(away.map((r) => r.id)).toEqual([s.id])
    expect(ok<{ dismissed: number }>(await core.invoke('schedule.dismissAway', { ids: [s.id] })).dismissed).toBe(1)
    expect(ok<{ results: ScheduledRevoke[] }>(await core.invoke('schedule.away', {})).results).toEqual([])
  })

  it('offline: retries with backoff on the injected clock and shows the schedule as overdue', async () => {
    const key = nextKey()
    sandbox.control.setFaults({ drop_connections: 1000 })
    const s = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: key.id, in: 'now' }))
    const waiting = await until(async () => {
      const v = await scheduleOf(s.id)
      return v.attempts >= 1 && v.state === 'scheduled' ? v : undefined
    })
    clock += 1000
    const seen = await scheduleOf(s.id)
    expect(seen).toMatchObject({ state: 'scheduled', attempts: 1, lastErrorCode: 'OFFLINE', overdue: true, nextAttemptAt: waiting.nextAttemptAt })
    expect(waiting.nextAttemptAt! - s.dueAt).toBe(30_000)
    // The second failure waits twice as long.
    clock = waiting.nextAttemptAt!
    const second = await until(async () => {
      const v = await scheduleOf(s.id)
      return v.attempts >= 2 && v.state === 'scheduled' ? v : undefined
    })
    expect(second.nextAttemptAt! - clock).toBe(60_000)
    sandbox.control.clearFaults()
    clock = second.nextAttemptAt!
    expect(await settled(s.id)).toMatchObject({ state: 'done', attempts: 3 })
    expect(await isActive(key.id)).toBe(false)
  })

  it('a failure (NOT_FOUND) becomes state failed with its code, and is journaled', async () => {
    const s = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: 'no-such-key', keyName: 'ghost', in: 'now' }))
    expect(await settled(s.id)).toMatchObject({ state: 'failed', lastErrorCode: 'NOT_FOUND', attempts: 1 })
    const entries = ok<{ entries: JournalEntry[] }>(await core.invoke('journal.forKey', { tenant, keyId: 'no-such-key' })).entries
    expect(entries[0]).toMatchObject({ action: 'schedule.revoke', outcome: 'failed', errorCode: 'NOT_FOUND', keyName: 'ghost' })
    // The radar's question, straight from the table.
    expect(
      ok<{ schedules: ScheduledRevoke[] }>(await core.invoke('schedule.list', { tenant, states: ['failed'] })).schedules.map((x) => x.id)
    ).toContain(s.id)
  })

  it('cancels in one call; a cancelled schedule never runs', async () => {
    const key = nextKey()
    const s = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: key.id, in: '1h' }))
    expect(ok<ScheduledRevoke>(await core.invoke('schedule.cancel', { id: s.id }))).toMatchObject({ state: 'cancelled', doneAt: clock })
    expect(await core.invoke('schedule.cancel', { id: s.id })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    clock += 2 * HOUR
    const marker = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant, keyId: nextKey().id, in: 'now' }))
    expect((await settled(marker.id)).state).toBe('done')
    expect((await scheduleOf(s.id)).state).toBe('cancelled')
    expect(await isActive(key.id)).toBe(true)
    const actions = ok<{ entries: JournalEntry[] }>(await core.invoke('journal.forKey', { tenant, keyId: key.id })).entries.map((e) => e.action)
    expect(actions).toEqual(['schedule.cancel', 'schedule.set'])
  })

  it('validates the time and the reason setting', async () => {
    expect(await core.invoke('schedule.revoke', { tenant, keyId: 'k1', in: '1h', at: clock })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' }
    })
    expect(await core.invoke('schedule.revoke', { tenant, keyId: 'k1' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await core.invoke('schedule.revoke', { tenant, keyId: 'k1', at: clock - HOUR })).toMatchObject({
      ok: false,
      error: { fields: { at: expect.any(String) } }
    })
    expect(await core.invoke('schedule.revoke', { tenant: 'nope', keyId: 'k1', in: '1h' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
