import type { ScheduledRevoke } from '../../../../shared/schedule'
import { relativeTime } from '../../lib/time'
import { useNow } from '../../lib/use-now'
import { Time } from '../../ui/Time'
import { countdown } from './when'

/** A due time as the operator's wall clock ("24 Nov, 09:30"), the exact UTC time on hover. */
function LocalTime({ value }: { value: number }) {
  return (
    <Time value={value}>
      {new Date(value).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}
    </Time>
  )
}

/**
 * Where a live scheduled revoke stands, in words: "Revokes in 23 h, 24 Nov, 09:30", overdue (with
 * the retry main is waiting for) or running. One component for the detail panel and the radar, so
 * both say the same thing.
 *
 * Every "in …" and "… ago" is counted on main's clock, which decides when the revoke runs:
 * `clockOffset` (our clock minus main's, from the list's answer) carries main's times onto ours,
 * so a skewed local clock moves none of them. The hover gives each exact time in UTC.
 */
export function ScheduleCountdown({ schedule, clockOffset }: { schedule: ScheduledRevoke; clockOffset: number }) {
  const now = useNow(1_000)
  const fromNow = (t: number) => relativeTime(t + clockOffset, now)
  if (schedule.state === 'running') return <strong>Revoking now…</strong>
  if (schedule.overdue) {
    return (
      <>
        <strong className="danger-text">Scheduled revoke overdue</strong> (due <Time value={schedule.dueAt}>{fromNow(schedule.dueAt)}</Time>).
        {schedule.lastError && ` ${schedule.lastError}`}
        {schedule.nextAttemptAt !== null && (
          <>
            {' '}
            Trying again <Time value={schedule.nextAttemptAt}>{fromNow(schedule.nextAttemptAt)}</Time>.
          </>
        )}
      </>
    )
  }
  return (
    <>
      <strong>
        Revokes <Time value={schedule.dueAt}>{countdown(schedule.dueAt + clockOffset - now)}</Time>
      </strong>
      , <LocalTime value={schedule.dueAt} />
    </>
  )
}
