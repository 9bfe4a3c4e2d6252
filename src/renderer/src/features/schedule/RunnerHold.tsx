import type { ScheduleHold } from '../../../../shared/schedule'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { useResumeSchedules } from './queries'

/**
 * Main is holding every scheduled revoke because the system clock jumped ahead: says why, and
 * lets the operator confirm the clock so the held revokes run. Nothing runs until then, unless
 * the clock comes back by itself.
 */
export function RunnerHold({ hold }: { hold: ScheduleHold | null | undefined }) {
  const resume = useResumeSchedules()
  if (!hold) return null
  return (
    <div className="banner banner-warn" role="alert" aria-label="Scheduled revokes held">
      <div>
        <strong>Scheduled revokes are held.</strong> {hold.reason}
      </div>
      <button type="button" className="button small" onClick={() => resume.mutate()} disabled={resume.isPending}>
        {resume.isPending ? 'Resuming…' : 'The clock is right: run them'}
      </button>
      <ErrorCallout error={resume.error} />
    </div>
  )
}
