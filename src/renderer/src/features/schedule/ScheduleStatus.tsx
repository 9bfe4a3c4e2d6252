import type { ScheduledRevoke } from '../../../../shared/schedule'
import { useNow } from '../../lib/use-now'
import { countdown } from './when'

/**
 * The keys table's status-cell note: "revokes in 23 h", "revoke overdue", "revoke failed". The
 * table reads the active tenant's one cached schedules list (useSchedules) and hands each row
 * its key's schedule: rows without one render nothing and hold no query or clock of their own.
 */
export function ScheduleStatus({ schedule, clockOffset }: { schedule: ScheduledRevoke; clockOffset: number }) {
  const now = useNow(30_000)
  const text =
    schedule.state === 'failed'
      ? 'revoke failed'
      : schedule.state === 'running'
        ? 'revoking…'
        : schedule.overdue
          ? 'revoke overdue'
          : `revokes ${countdown(schedule.dueAt + clockOffset - now)}`
  const tone = schedule.state === 'failed' || schedule.overdue ? 'schedule-bad' : 'schedule-set'
  return (
    <span className={`chip schedule-chip ${tone}`} title={`Scheduled revoke: ${text}`}>
      {text}
    </span>
  )
}
