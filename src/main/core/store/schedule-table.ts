import type { Database } from 'better-sqlite3'
import type { ErrorCode } from '../../../shared/errors'
import type { ScheduleState } from '../../../shared/schedule'
import { whereClause } from './where'

export interface ScheduleRow {
  id: number
  tenant: string
  key_id: string
  key_name: string
  key_preview: string | null
  due_at: number
  state: ScheduleState
  attempts: number
  next_attempt_at: number | null
  last_error_code: ErrorCode | null
  last_error: string | null
  reason: string | null
  created_at: number
  done_at: number | null
  away: number
  reported: number
  /** The runner that claimed a running row, and until when its claim holds (ms). */
  owner: string | null
  lease_until: number | null
  /** The key's created_at when it was scheduled (null: not known then). */
  key_created_at: string | null
}

/** Who claims, and until when: a runner renews its lease while the revoke is on its way. */
export interface Claimant {
  owner: string
  leaseUntil: number
}

export interface NewSchedule {
  tenant: string
  keyId: string
  keyName: string
  keyPreview: string | null
  dueAt: number
  reason: string | null
  createdAt: number
  keyCreatedAt: string | null
}

/**
 * The scheduled_revokes table (migrations/journal.ts). A key has at most one live schedule
 * (scheduled or running); scheduling it again moves that one. State changes are conditional
 * updates (`WHERE state = ...`) so a cancel and the runner cannot both win.
 */
export function createScheduleTable(db: Database) {
  const byId = db.prepare<[number], ScheduleRow>('SELECT * FROM scheduled_revokes WHERE id = ?')
  const live = db.prepare<[string, string], ScheduleRow>(
    "SELECT * FROM scheduled_revokes WHERE tenant = ? AND key_id = ? AND state IN ('scheduled', 'running')"
  )
  const insert = db.prepare(
    `INSERT INTO scheduled_revokes (tenant, key_id, key_name, key_preview, key_created_at, due_at, state, reason, created_at)
     VALUES (@tenant, @keyId, @keyName, @keyPreview, @keyCreatedAt, @dueAt, 'scheduled', @reason, @createdAt)`
  )
  const move = db.prepare(
    `UPDATE scheduled_revokes SET due_at = @dueAt, key_name = @keyName, key_preview = @keyPreview, key_created_at = @keyCreatedAt, reason = @reason, created_at = @createdAt,
       attempts = 0, next_attempt_at = NULL, last_error_code = NULL, last_error = NULL WHERE id = @id AND state = 'scheduled'`
  )
  const due = db.prepare<[number, number], ScheduleRow>(
    `SELECT * FROM scheduled_revokes WHERE state = 'scheduled' AND due_at <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY due_at, id`
  )
  // Due is checked again here, not only when the runner listed the row: a schedule moved later
  // meanwhile must not run at its old time.
  const claim = db.prepare(
    `UPDATE scheduled_revokes SET state = 'running', attempts = attempts + 1, owner = @owner, lease_until = @leaseUntil
     WHERE id = @id AND state = 'scheduled' AND due_at <= @now AND (next_attempt_at IS NULL OR next_attempt_at <= @now)`
  )
  const renew = db.prepare("UPDATE scheduled_revokes SET lease_until = @leaseUntil WHERE id = @id AND state = 'running' AND owner = @owner")
  const finish = db.prepare(
    `UPDATE scheduled_revokes SET state = @state, done_at = @at, next_attempt_at = NULL, last_error_code = @code, last_error = @error,
       owner = NULL, lease_until = NULL WHERE id = @id AND state = 'running' AND owner = @owner`
  )
  const later = db.prepare(
    `UPDATE scheduled_revokes SET state = 'scheduled', next_attempt_at = @next, last_error_code = @code, last_error = @error,
       owner = NULL, lease_until = NULL WHERE id = @id AND state = 'running' AND owner = @owner`
  )
  const release = db.prepare(
    `UPDATE scheduled_revokes SET state = 'scheduled', attempts = max(0, attempts - 1), owner = NULL, lease_until = NULL
     WHERE id = ? AND state = 'running' AND owner = ?`
  )
  const cancel = db.prepare("UPDATE scheduled_revokes SET state = 'cancelled', done_at = ? WHERE id = ? AND state = 'scheduled'")
  const markAway = db.prepare("UPDATE scheduled_revokes SET away = 1 WHERE state = 'scheduled' AND due_at <= ?")
  const recover = db.prepare(
    "UPDATE scheduled_revokes SET state = 'scheduled', owner = NULL, lease_until = NULL WHERE state = 'running' AND (lease_until IS NULL OR lease_until <= ?)"
  )
  const awayReport = db.prepare<[], ScheduleRow>(
    "SELECT * FROM scheduled_revokes WHERE away = 1 AND reported = 0 AND state IN ('done', 'failed') ORDER BY done_at, id"
  )
  const dismiss = db.prepare('UPDATE scheduled_revokes SET reported = 1 WHERE id = ? AND away = 1')

  return {
    get: (id: number) => byId.get(id) ?? null,
    live: (tenant: string, keyId: string) => live.get(tenant, keyId) ?? null,
    /** Schedules the key's revoke, or moves its existing schedule. Null when it is running right now. */
    put(s: NewSchedule): ScheduleRow | null {
      return db
        .transaction(() => {
          const existing = live.get(s.tenant, s.keyId)
          if (existing?.state === 'running') return null
          if (existing) {
            move.run({ ...s, id: existing.id })
            return byId.get(existing.id)!
          }
          return byId.get(Number(insert.run(s).lastInsertRowid))!
        })
        .immediate()
    },
    list(q: { tenant?: string; keyId?: string; states?: readonly ScheduleState[]; limit: number }): ScheduleRow[] {
      const w = whereClause()
      if (q.tenant !== undefined) w.add('tenant = ?', q.tenant)
      if (q.keyId !== undefined) w.add('key_id = ?', q.keyId)
      w.oneOf('state', q.states)
      const { sql: where, params } = w.build()
      return db.prepare<unknown[], ScheduleRow>(`SELECT * FROM scheduled_revokes ${where} ORDER BY due_at, id LIMIT ?`).all(...params, q.limit)
    },
    /** Scheduled, due, and not waiting for a retry. */
    due: (now: number) => due.all(now, now),
    /**
     * Scheduled and still due at `now` → running, held by `by` until its lease ends (counts the
     * attempt). The row as claimed, which is what runs; null when it was cancelled, moved, or
     * taken meanwhile.
     */
    claim: (id: number, now: number, by: Claimant): ScheduleRow | null =>
      db.transaction(() => (claim.run({ id, now, ...by }).changes === 1 ? byId.get(id)! : null))(),
    /** Extends a running row's lease; false when this owner no longer holds it. */
    renew: (id: number, by: Claimant) => renew.run({ id, ...by }).changes === 1,
    finish: (id: number, owner: string, state: 'done' | 'failed', at: number, code: ErrorCode | null = null, error: string | null = null) =>
      finish.run({ id, owner, state, at, code, error }).changes === 1,
    /** Running → scheduled again, retried at `next` (offline, rate-limited). */
    retryLater: (id: number, owner: string, next: number, code: ErrorCode, error: string) =>
      later.run({ id, owner, next, code, error }).changes === 1,
    /** Running → scheduled as if never tried: the runner stopped before it could know the outcome. */
    release: (id: number, owner: string) => release.run(id, owner).changes === 1,
    cancel: (id: number, at: number) => cancel.run(at, id).changes === 1,
    /** At start: schedules already due came due while KeyDesk was closed. */
    markAway: (startedAt: number) => markAway.run(startedAt).changes,
    /**
     * A run cut short by a crash is run again once its lease has run out (revoking twice is
     * safe); a row another live KeyDesk holds is left to it.
     */
    recoverExpired: (now: number) => recover.run(now).changes,
    awayReport: () => awayReport.all(),
    dismissAway: (ids: readonly number[]) => db.transaction(() => ids.reduce((n, id) => n + dismiss.run(id).changes, 0))()
  }
}

export type ScheduleTable = ReturnType<typeof createScheduleTable>
