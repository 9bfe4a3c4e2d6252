import { useState } from 'react'
import type { ApiKey } from '../../../../shared/meshqu'
import type { TenantView } from '../../../../shared/tenants'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { Time } from '../../ui/Time'
import { ReasonField, reasonReady, reasonToSend, useReasonRequired } from '../journal'
import { ScheduleForm } from './ScheduleForm'
import { useCancelSchedule, useKeySchedule, useScheduleRevoke } from './queries'
import { ScheduleCountdown } from './ScheduleCountdown'

/**
 * The detail panel's scheduled revoke: the countdown and a one-click Cancel when one is set, its
 * failure when it failed, otherwise "Schedule a revoke" (a key that is not revoked). Not "Revoke later…":
 * names are matched by substring, and "Revoke…" and "Later" already name other buttons.
 */
export function KeySchedule({
  tenant,
  k,
  revoked,
  offline,
  readOnly = false
}: {
  tenant: TenantView
  k: ApiKey
  revoked: boolean
  offline: boolean
  /** A locked read-only tenant: a schedule set earlier is shown (and can be cancelled); no new one. */
  readOnly?: boolean
}) {
  const { schedule, clockOffset } = useKeySchedule(tenant.id, k.id)
  const cancel = useCancelSchedule()
  const set = useScheduleRevoke(tenant.id, k.id, k.name)
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const reasonRequired = useReasonRequired(tenant.environment === 'production')
  if (revoked) return null
  if (readOnly && !schedule) return null

  if (schedule && schedule.state !== 'failed') {
    return (
      <section className="schedule-box" aria-label="Scheduled revoke">
        <p role="status" style={{ margin: 0 }}>
          <ScheduleCountdown schedule={schedule} clockOffset={clockOffset} />
        </p>
        {schedule.reason && (
          <p className="muted" style={{ margin: 0 }}>
            Reason: {schedule.reason}
          </p>
        )}
        {schedule.state === 'scheduled' && (
          <button type="button" className="button" onClick={() => cancel.mutate(schedule.id)} disabled={cancel.isPending}>
            {cancel.isPending ? 'Cancelling…' : 'Cancel scheduled revoke'}
          </button>
        )}
        <ErrorCallout error={cancel.error} context={{ tenantLabel: tenant.label, keyName: k.name }} />
      </section>
    )
  }

  return (
    <section className="schedule-box" aria-label="Scheduled revoke">
      {schedule?.state === 'failed' && (
        <p className="callout callout-danger" role="alert" style={{ margin: 0 }}>
          The scheduled revoke failed
          {schedule.doneAt ? (
            <>
              {' '}
              (<Time value={schedule.doneAt} />)
            </>
          ) : null}
          : {schedule.lastError ?? schedule.lastErrorCode}. The key is still active; revoke it by hand or schedule it again.
        </p>
      )}
      {readOnly ? null : open ? (
        <ScheduleForm
          tenant={tenant}
          pending={set.isPending}
          disabled={offline || !reasonReady(reason, reasonRequired)}
          onSchedule={(when) => set.mutate({ when, reason: reasonToSend(reason) }, { onSuccess: () => setOpen(false) })}
        >
          <ReasonField value={reason} onChange={setReason} required={reasonRequired} error={set.error} disabled={set.isPending} />
          <ErrorCallout error={set.error} context={{ tenantLabel: tenant.label, keyName: k.name, fieldsShown: true }} />
        </ScheduleForm>
      ) : (
        <button type="button" className="button" disabled={offline} onClick={() => setOpen(true)} aria-expanded={false}>
          Schedule a revoke
        </button>
      )}
    </section>
  )
}
