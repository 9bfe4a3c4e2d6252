import { randomUUID } from 'node:crypto'
import { clipText, SERVER_NAME_MAX, SERVER_PREVIEW_MAX } from '../../../shared/meshqu'
import type { ErrorCode } from '../../../shared/errors'
import { SCHEDULE_MAX_AHEAD_MS, SCHEDULE_PRESETS, type ScheduledRevoke } from '../../../shared/schedule'
import { CoreError, toAppError } from '../errors'
import type { EmitEvent } from '../events/bus'
import type { Journal } from '../journal/journal'
import type { KeyRevoker } from '../writes/revoke-key'
import type { Logger } from '../log'
import type { FleetStore } from '../store/fleet-store'
import type { ScheduleRow } from '../store/schedule-table'
import { identityMismatch } from './schedule-identity'
import { createClockWatch } from './clock-watch'
import type { ProfileStore } from '../tenants/profile-store'
import type { TenantSessions } from '../tenants/sessions'

export interface ScheduledRevokeDeps {
  store: FleetStore
  sessions: TenantSessions
  profiles: ProfileStore
  journal: Journal
  log: Logger
  now: () => number
  /** Real time (performance.now), to notice the wall clock jumping ahead (jobs/clock-watch.ts). */
  monotonic: () => number
  /** Between checks for due schedules (real time; the due times use `now`). Default 15 s. */
  checkEveryMs?: number
  /** Each due key is revoked the one way (writes/revoke-key.ts): journaled, its rotation reminder cleared, the store told. */
  revoke: KeyRevoker
  /**
   * Why nothing may run now (the fleet store file is not the one KeyDesk last wrote, so a revoke
   * cancelled since may be back), or null. Checked after the store opened, before each run.
   */
  held?: () => string | null
  /** Tells the renderer each run's outcome as it lands (events/bus.ts). */
  emit?: EmitEvent
}

/**
 * Failures worth another try later: MeshQu unreachable or busy, the keychain locked, or the
 * tenant's settings changed outside KeyDesk (it runs once the operator confirms them).
 */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['OFFLINE', 'TIMEOUT', 'UPSTREAM', 'RATE_LIMITED', 'KEYCHAIN_UNAVAILABLE', 'SETTINGS_CHANGED'])
const FIRST_RETRY_MS = 30_000
const MAX_RETRY_MS = 15 * 60_000
/** 30 s, 1 min, 2 min … capped at 15 min, counted on the injected clock. */
/**
 * How long a claim holds without renewal (on the injected clock), and how often it is renewed
 * (real time). A KeyDesk that crashed mid-revoke leaves its row to the next one after this.
 */
const LEASE_MS = 2 * 60_000
const LEASE_RENEW_MS = 30_000
export const retryDelay = (attempts: number) => Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1))

export function scheduleView(r: ScheduleRow, now: number): ScheduledRevoke {
  const live = r.state === 'scheduled' || r.state === 'running'
  return {
    id: r.id,
    tenant: r.tenant,
    keyId: r.key_id,
    // A row stored before names were bounded may be longer than a reply carries.
    keyName: clipText(r.key_name, SERVER_NAME_MAX),
    keyPreview: r.key_preview === null ? null : clipText(r.key_preview, SERVER_PREVIEW_MAX),
    dueAt: r.due_at,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.state === 'scheduled' ? r.next_attempt_at : null,
    lastErrorCode: r.last_error_code,
    lastError: r.last_error,
    reason: r.reason,
    createdAt: r.created_at,
    doneAt: r.done_at,
    overdue: live && r.due_at < now,
    msUntilDue: r.due_at - now,
    away: r.away === 1
  }
}

/**
 * Scheduled revokes: kept in the store, run by this runner when due. Started by createCore (a
 * check at once, then every `checkEveryMs`) and stopped by dispose. A revoke is a background
 * write through the tenant's session, so the tenant's scheduler paces it like any other. Offline
 * (or rate-limited, or the keychain locked) it is retried with backoff and reads as overdue; any
 * other failure (403, NOT_FOUND…) is final: state 'failed' with its code, a radar finding.
 * Schedules that came due while KeyDesk was closed run at the next start and are kept as the
 * "ran while you were away" report until the UI dismisses them. Each tenant's due rows run in their
 * own queue, one key at a time, so one tenant's wait never holds another's.
 */
export function createScheduledRevokes(d: ScheduledRevokeDeps) {
  const startedAt = d.now()
  let timer: ReturnType<typeof setInterval> | undefined
  let current: Promise<void> | null = null
  let again = false
  let stopped = false
  let startedUp = false
  /** This runner's name on the rows it claims: another KeyDesk on the same data dir leaves them alone. */
  const owner = `${process.pid}-${randomUUID()}`
  /** The first pass over what was due at start is done: the away report is complete from then on. */
  let firstPassDone = false
  let saidHeld: string | null = null
  /** Fired by stop(): every pacing wait, backoff and request of a scheduled revoke ends with it. */
  const stopping = new AbortController()
  /**
   * Each tenant's queue, run on its own: one tenant held by its pacing (a long Retry-After) never
   * holds another's revokes, nor the checks that start them.
   */
  const lanes = new Map<string, Promise<void>>()
  const clock = createClockWatch({ now: d.now, monotonic: d.monotonic })
  /** The rows a clock hold kept from running, for the journal when it ends. */
  let heldRows: ScheduleRow[] = []

  /**
   * Whether the wall clock may fire revokes now. A jump ahead holds the runner: every row it
   * would have run is journaled as held, and nothing runs until the operator confirms the clock
   * or the clocks agree again (then those rows are journaled as released).
   */
  async function clockTrusted(table: FleetStore['schedules']): Promise<boolean> {
    const seen = clock.observe()
    if (seen.began) {
      const hold = seen.hold!
      d.log.warn(`scheduled revokes held: the wall clock ran ${hold.jumpMs} ms ahead of real time`)
      heldRows = (await table.due(d.now()).catch(() => [])).filter((r) => r.due_at > hold.trustedAt)
      for (const r of heldRows) await journalHold(r, 'schedule.hold', `${hold.reason} Due ${new Date(r.due_at).toISOString()}; not run.`)
    }
    if (seen.ended) await released('the clocks agree again')
    return seen.hold === null
  }

  async function released(why: string) {
    const rows = heldRows
    heldRows = []
    for (const r of rows) await journalHold(r, 'schedule.resume', `Held revoke released: ${why}.`)
  }

  function journalHold(r: ScheduleRow, action: 'schedule.hold' | 'schedule.resume', detail: string) {
    return d.journal.record({
      tenant: r.tenant,
      action,
      outcome: 'ok',
      key: { id: r.key_id, name: r.key_name, preview: r.key_preview },
      reason: r.reason,
      detail
    })
  }

  /** Renews the row's lease while its revoke is on its way (a pacing wait may be long). */
  function holdLease(table: FleetStore['schedules'], id: number) {
    const renew = setInterval(() => {
      void table.renew(id, { owner, leaseUntil: d.now() + LEASE_MS }).catch((err) => d.log.warn('scheduled revoke: lease not renewed', err))
    }, LEASE_RENEW_MS)
    renew.unref?.()
    return () => clearInterval(renew)
  }

  /**
   * Reads the key under the scheduled id first (a background read): why it may not be revoked,
   * or null. An id MeshQu does not know is left to the revoke, which reports it; a failure worth
   * another try is thrown, to be tried again like the revoke's own.
   */
  async function notTheScheduledKey(row: ScheduleRow): Promise<{ code: ErrorCode; message: string } | null> {
    try {
      const { client } = await d.sessions.open(row.tenant)
      const { data } = await client.getKey(row.key_id, { kind: 'background', signal: stopping.signal })
      const differs = identityMismatch(row, data.key)
      return differs ? { code: 'NOT_FOUND', message: differs } : null
    } catch (err) {
      const e = toAppError(err)
      if (e.code === 'NOT_FOUND' && e.status === 404) return null
      if (TRANSIENT.has(e.code) || stopping.signal.aborted) throw err
      return { code: e.code, message: `Not revoked: the key could not be read first. ${e.message}` }
    }
  }

  /** Not revoked, and final: the row fails with the reason, which the journal records too. */
  /** The run's outcome for the renderer: every view of the key, and a toast. */
  async function ran(row: ScheduleRow, outcome: 'revoked' | 'failed' | 'retrying', errorCode?: ErrorCode) {
    if (!d.emit) return
    const label = (await d.profiles.get(row.tenant).catch(() => undefined))?.label ?? row.tenant
    d.emit({
      type: 'schedule.ran',
      tenant: row.tenant,
      tenantLabel: label,
      keyId: row.key_id,
      keyName: row.key_name,
      outcome,
      ...(errorCode ? { errorCode } : {})
    })
  }

  async function refuse(table: FleetStore['schedules'], row: ScheduleRow, code: ErrorCode, message: string) {
    await d.journal.record({
      tenant: row.tenant,
      action: 'schedule.revoke',
      outcome: 'failed',
      errorCode: code,
      key: { id: row.key_id, name: row.key_name, preview: row.key_preview },
      reason: row.reason,
      detail: message
    })
    await table.finish(row.id, owner, 'failed', d.now(), code, message)
    await ran(row, 'failed', code)
  }

  async function runOne(table: FleetStore['schedules'], listed: ScheduleRow) {
    // What runs is the row as claimed: it may have been moved or renamed since it was listed.
    const row = await table.claim(listed.id, d.now(), { owner, leaseUntil: d.now() + LEASE_MS })
    if (!row) return // cancelled, moved later, or taken by another KeyDesk meanwhile
    d.emit?.({ type: 'schedules.changed', tenant: row.tenant })
    const detail = `Scheduled for ${new Date(row.due_at).toISOString()}${row.away ? '; ran at start, KeyDesk was closed when it came due' : ''}.`
    const letGo = holdLease(table, row.id)
    try {
      const refused = await notTheScheduledKey(row)
      if (refused) {
        await refuse(table, row, refused.code, refused.message)
        return
      }
      await d.revoke({
        tenant: row.tenant,
        id: row.key_id,
        name: row.key_name,
        preview: row.key_preview,
        priority: 'background',
        entry: { action: 'schedule.revoke', reason: row.reason, detail },
        // Offline: tried again later; the journal gets the final outcome, not every attempt.
        retrying: (e) => TRANSIENT.has(e.code) || stopping.signal.aborted,
        signal: stopping.signal
      })
    } catch (err) {
      const e = toAppError(err)
      // Stopped mid-way: it runs again at the next start (revoking twice is safe).
      if (stopping.signal.aborted) {
        await table.release(row.id, owner)
        return
      }
      if (TRANSIENT.has(e.code)) {
        await table.retryLater(row.id, owner, d.now() + retryDelay(row.attempts), e.code, e.message)
        await ran(row, 'retrying', e.code)
        return
      }
      await table.finish(row.id, owner, 'failed', d.now(), e.code, e.message)
      await ran(row, 'failed', e.code)
      return
    } finally {
      letGo()
    }
    // Revoked (and journaled): only recording 'done' is left. If the store cannot take it now, the
    // row stays running under its lease and the next owner finds the key revoked; it is never
    // written 'failed' after a revoke that succeeded.
    await table.finish(row.id, owner, 'done', d.now()).catch((err) => d.log.warn('scheduled revoke: done, but not recorded yet', err))
    await ran(row, 'revoked')
  }

  /** One tenant's due rows, one key at a time, until none is left that this lane has not tried. */
  async function runLane(table: FleetStore['schedules'], tenant: string) {
    const tried = new Set<number>()
    for (;;) {
      if (stopped || !(await clockTrusted(table))) return
      const next = (await table.due(d.now())).find((r) => r.tenant === tenant && !tried.has(r.id))
      if (!next) return
      tried.add(next.id)
      await runOne(table, next).catch((err) => d.log.warn('scheduled revoke: unexpected failure', err))
    }
  }

  async function check() {
    // A closed store is opened (first use); one the keychain keeps closed is left to Retry,
    // so a locked keychain is not asked again every few seconds.
    if (d.store.state() === 'unavailable') return
    const table = d.store.schedules
    const first = !startedUp
    try {
      // Every check: a row another KeyDesk left running is taken over once its lease has run out.
      await table.recoverExpired(d.now())
      if (first) {
        await table.markAway(startedAt)
        startedUp = true
      }
    } catch {
      return
    }
    let due: ScheduleRow[] = []
    try {
      // Held: nothing runs, and the away report has nothing more to wait for.
      if (!(await clockTrusted(table))) {
        if (first) firstPassDone = true
        return
      }
      due = await table.due(d.now())
    } catch {
      // nothing to start; the first pass is over all the same
    }
    const held = d.held?.() ?? null
    if (held !== saidHeld) {
      if (held) d.log.warn(`scheduled revokes: ${held}`)
      saidHeld = held
    }
    if (held) {
      if (first) firstPassDone = true
      return
    }
    for (const tenant of new Set(due.map((r) => r.tenant))) {
      if (lanes.has(tenant) || stopped) continue
      const lane = runLane(table, tenant)
        .catch((err) => d.log.warn('scheduled revokes: a tenant queue failed', err))
        .finally(() => lanes.delete(tenant))
      lanes.set(tenant, lane)
    }
    if (first) void Promise.all(lanes.values()).finally(() => (firstPassDone = true))
  }

  /** One check at a time; a request during a check runs one more right after it. */
  function tick(): Promise<void> {
    if (stopped) return Promise.resolve()
    if (current) {
      again = true
      return current
    }
    current = check()
      .catch((err) => d.log.warn('scheduled revokes: check failed', err))
      .finally(() => {
        current = null
        if (again && !stopped) {
          again = false
          void tick()
        }
      })
    return current
  }

  async function table() {
    return d.store.schedules
  }

  return {
    start() {
      void tick()
      timer = setInterval(() => void tick(), d.checkEveryMs ?? 15_000)
      timer.unref?.()
    },
    /** Runs a check now (a schedule due "now" was added); resolves when the revokes it started are done. */
    async check() {
      await tick()
      await Promise.all(lanes.values())
    },

    /** Schedules (or moves) the revoke of one key. */
    async schedule(input: { tenant: string; keyId: string; keyName?: string; at?: number; in?: keyof typeof SCHEDULE_PRESETS; reason?: string }) {
      const profile = await d.profiles.get(input.tenant)
      if (!profile) throw new CoreError('NOT_FOUND', 'That tenant is no longer in KeyDesk. Pick another tenant from the sidebar.')
      const now = d.now()
      const dueAt = input.at ?? now + SCHEDULE_PRESETS[input.in ?? 'now']
      if (dueAt < now - 60_000)
        throw new CoreError('VALIDATION', 'That time has passed; choose a time in the future.', { fields: { at: 'Choose a time in the future' } })
      if (dueAt > now + SCHEDULE_MAX_AHEAD_MS)
        throw new CoreError('VALIDATION', 'Choose a time within a year.', { fields: { at: 'At most a year ahead' } })
      const known = await d.store.keyById(input.tenant, input.keyId).catch(() => null)
      const row = await (
        await table()
      ).put({
        tenant: input.tenant,
        keyId: input.keyId,
        // Bounded as stored: a schedule that cannot be listed could not be cancelled either.
        keyName: clipText(input.keyName ?? known?.name ?? input.keyId, SERVER_NAME_MAX),
        keyPreview: known?.key_preview === undefined ? null : clipText(known.key_preview, SERVER_PREVIEW_MAX),
        // Compared with MeshQu's answer before the revoke: the id must still name this key.
        keyCreatedAt: known?.created_at ?? null,
        dueAt,
        reason: input.reason ?? null,
        createdAt: now
      })
      if (!row) throw new CoreError('VALIDATION', 'This key is being revoked right now; wait a moment and look again.')
      await d.journal.record({
        tenant: input.tenant,
        action: 'schedule.set',
        outcome: 'ok',
        key: { id: row.key_id, name: row.key_name, preview: row.key_preview },
        reason: input.reason,
        detail: `Revoke scheduled for ${new Date(dueAt).toISOString()}.`
      })
      d.emit?.({ type: 'schedules.changed', tenant: input.tenant })
      if (dueAt <= now) void tick()
      return scheduleView(row, now)
    },

    async cancel(id: number) {
      const t = await table()
      const row = await t.get(id)
      if (!row) throw new CoreError('NOT_FOUND', 'That scheduled revoke is no longer known.')
      if (!(await t.cancel(id, d.now()))) {
        throw new CoreError(
          'VALIDATION',
          row.state === 'running'
            ? 'This revoke is running right now and can no longer be cancelled.'
            : `This scheduled revoke is already ${row.state}.`
        )
      }
      await d.journal.record({
        tenant: row.tenant,
        action: 'schedule.cancel',
        outcome: 'ok',
        key: { id: row.key_id, name: row.key_name, preview: row.key_preview },
        detail: `The revoke scheduled for ${new Date(row.due_at).toISOString()} was cancelled.`
      })
      d.emit?.({ type: 'schedules.changed', tenant: row.tenant })
      return scheduleView((await t.get(id))!, d.now())
    },

    async list(q: Parameters<FleetStore['schedules']['list']>[0]) {
      const now = d.now()
      return (await (await table()).list(q)).map((r) => scheduleView(r, now))
    },
    /** What ran at this start because it came due while KeyDesk was closed; `pending` until those have all been tried. */
    async away() {
      const now = d.now()
      const results = (await (await table()).awayReport()).map((r) => scheduleView(r, now))
      return { results, pending: !firstPassDone }
    },
    /** Why the runner is holding every scheduled revoke (the wall clock jumped ahead), or null. */
    hold: () => clock.hold(),
    /** The operator confirms the clock: what was held runs at once. */
    async resume() {
      const was = clock.resume()
      if (was) {
        await released('the operator confirmed the clock')
        void tick()
      }
      return was
    },
    async dismissAway(ids: readonly number[]) {
      return (await table()).dismissAway(ids)
    },

    /** Ends every wait and request of the runner at once; resolves when each row is put back or finished. */
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      stopping.abort()
      await current
      await Promise.all(lanes.values())
    }
  }
}

export type ScheduledRevokes = ReturnType<typeof createScheduledRevokes>
