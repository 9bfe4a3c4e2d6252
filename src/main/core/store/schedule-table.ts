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
}

export interface NewSchedule {
  tenant: string
  keyId: string
  keyName: string
  keyPreview: string | null
  dueAt: number
  reason: string | null
  createdAt: number
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
    `INSERT INTO scheduled_revokes (tenant, key_id, key_name, key_preview, due_at, state, reason, created_at)
     VALUES (@tenant, @keyId, @keyName, @keyPreview, @dueAt, 'scheduled', @reason, @createdAt)`
  )
  const move = db.prepare(
    `UPDATE scheduled_revokes SET due_at = @dueAt, key_name = @keyName, key_preview = @keyPreview, reason = @reason, created_at = @createdAt,
       attempts = 0, next_attempt_at = NULL, last_error_code = NULL, last_error = NULL WHERE id = @id AND state = 'scheduled'`
  )
  const due = db.prepare<[number, number], ScheduleRow>(
    `SELECT * FROM scheduled_revokes WHERE state = 'scheduled' AND due_at <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY due_at, id`
  )
  const claim = db.prepare("UPDATE scheduled_revokes SET state = 'running', attempts = attempts + 1 WHERE id = ? AND state = 'scheduled'")
  const finish = db.prepare(
    `UPDATE scheduled_revokes SET state = @state, done_at = @at, next_attempt_at = NULL, last_error_code = @code, last_error = @error
     WHERE id = @id AND state = 'running'`
  )
  const later = db.prepare(
    `UPDATE scheduled_revokes SET state = 'scheduled', next_attempt_at = @next, last_error_code = @code, last_error = @error WHERE id = @id AND state = 'running'`
  )
  const cancel = db.prepare("UPDATE scheduled_revokes SET state = 'cancelled', done_at = ? WHERE id = ? AND state = 'scheduled'")
  const markAway = db.prepare("UPDATE scheduled_revokes SET away = 1 WHERE state = 'scheduled' AND due_at <= ?")
  const recover = db.prepare("UPDATE scheduled_revokes SET state = 'scheduled' WHERE state = 'running'")
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
    /** Scheduled → running (counts the attempt); false when it was cancelled or taken meanwhile. */
    claim: (id: number) => claim.run(id).changes === 1,
    finish: (id: number, state: 'done' | 'failed', at: number, code: ErrorCode | null = null, error: string | null = null) =>
      finish.run({ id, state, at, code, error }).changes === 1,
    /** Running → scheduled again, retried at `next` (offline, rate-limited). */
    retryLater: (id: number, next: number, code: ErrorCode, error: string) => later.run({ id, next, code, error }).changes === 1,
    cancel: (id: number, at: number) => cancel.run(at, id).changes === 1,
    /** At start: schedules already due came due while KeyDesk was closed. */
    markAway: (startedAt: number) => markAway.run(startedAt).changes,
    /** At start: a run cut short by a quit or crash is run again (revoking twice is safe). */
    recoverRunning: () => recover.run().changes,
    awayReport: () => awayReport.all(),
    dismissAway: (ids: readonly number[]) => db.transaction(() => ids.reduce((n, id) => n + dismiss.run(id).changes, 0))()
  }
}

export type ScheduleTable = ReturnType<typeof createScheduleTable>
