import { useRef } from 'react'
import type { RadarSummary } from '../../../../shared/contract'
import { EnvBadge } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { RunnerHold, ScheduleCountdown, useCancelSchedule, useFleetSchedules } from '../schedule'
import { CATEGORY_LABEL, plural } from './words'

/**
 * Scheduled revokes waiting in every tenant, soonest first, each with the detail panel's countdown
 * and a one-click Cancel. Failed ones are the "Scheduled revoke failed" finding above.
 */
export function RadarSchedules({ tenants }: { tenants: RadarSummary['tenants'] }) {
  const list = useFleetSchedules()
  const cancel = useCancelSchedule()
  const heading = useRef<HTMLHeadingElement>(null)
  const tenantOf = new Map(tenants.map((t) => [t.id, t]))
  const schedules = list.data?.schedules ?? []
  const cancelling = cancel.isPending ? cancel.variables : null
  return (
    <section className="radar-section" aria-labelledby="radar-schedules">
      <h2 id="radar-schedules" className="radar-h2" ref={heading} tabIndex={-1}>
        Scheduled revokes
        {list.data && <span className="muted"> · {plural(schedules.length, 'key', 'keys')}</span>}
      </h2>
      <p className="muted radar-hint">
        Revokes waiting to run, in every tenant. Failed ones are under &ldquo;{CATEGORY_LABEL['revoke-failed']}&rdquo;.
      </p>
      <RunnerHold hold={list.data?.hold} />
      {list.isPending && <p role="status">Reading scheduled revokes…</p>}
      <ErrorCallout error={list.error} />
      {list.data && schedules.length === 0 && <p role="status">No revokes are scheduled.</p>}
      {list.data && schedules.length > 0 && (
        <table className="radar-table radar-schedules" aria-label="Scheduled revokes">
          <thead>
            <tr>
              <th scope="col">Tenant</th>
              <th scope="col">Key</th>
              <th scope="col">When</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {schedules.map((s) => {
              const t = tenantOf.get(s.tenant)
              const label = t?.label ?? s.tenant
              return (
                <tr key={s.id}>
                  <td className="nowrap">
                    {label} {t && <EnvBadge env={t.environment} compact />}
                  </td>
                  <td className="radar-key">
                    {s.keyName}
                    {s.keyPreview && <code>{s.keyPreview}</code>}
                  </td>
                  <td>
                    <ScheduleCountdown schedule={s} clockOffset={list.data.clockOffset} />
                    {s.reason && <div className="radar-findings">Reason: {s.reason}</div>}
                  </td>
                  <td className="radar-actions">
                    {s.state === 'scheduled' && (
                      <button
                        type="button"
                        className="button"
                        aria-label={`Cancel scheduled revoke of ${s.keyName} in ${label}`}
                        disabled={cancelling !== null}
                        // The row goes once main has cancelled it: focus waits on the list's heading.
                        onClick={() => cancel.mutate(s.id, { onSuccess: () => heading.current?.focus() })}
                      >
                        {cancelling === s.id ? 'Cancelling…' : 'Cancel'}
                      </button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      <ErrorCallout error={cancel.error} />
    </section>
  )
}
