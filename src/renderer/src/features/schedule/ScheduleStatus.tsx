import { useUi } from '../../lib/store'
import { useNow } from '../../lib/use-now'
import { useKeySchedule } from './queries'
import { countdown } from './when'

/**
 * The keys table's status-cell note: "revokes in 23 h", "revoke overdue", "revoke failed". The
 * table always shows the active tenant's keys; every row reads the one cached schedules list.
 */
export function ScheduleStatus({ keyId }: { keyId: string }) {
  const tenantId = useUi((s) => s.activeTenantId) ?? '-'
  const { schedule, clockOffset } = useKeySchedule(tenantId, keyId)
  const now = useNow(30_000)
  if (!schedule) return null
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
