import { useId, useState, type FormEvent, type ReactNode } from 'react'
import type { ScheduleWhen } from '../../../../shared/schedule'
import type { TenantView } from '../../../../shared/tenants'
import { ConfirmButton } from '../../ui/ConfirmWrite'
import { toLocalInput, toWhen, WHEN_CHOICES, type WhenChoice } from './when'

/**
 * When to revoke: a preset or a chosen local time. Used after a rotation (for the old key) and
 * from the detail panel. `children` go between the choice and the button (the reason field).
 */
export function ScheduleForm({
  tenant,
  onSchedule,
  pending,
  submitLabel = 'Schedule revoke',
  disabled,
  children,
  before
}: {
  /** The tenant whose key is scheduled: the button names it ("Schedule revoke in acme-prod"). */
  tenant: Pick<TenantView, 'label'>
  onSchedule: (when: ScheduleWhen) => void
  pending: boolean
  submitLabel?: string
  disabled?: boolean
  children?: ReactNode
  /** Buttons before the submit button (a dialog's Cancel). */
  before?: ReactNode
}) {
  const id = useId()
  const [choice, setChoice] = useState<WhenChoice>('24h')
  const [at, setAt] = useState(() => toLocalInput(Date.now() + 86_400_000))
  const [problem, setProblem] = useState<string | null>(null)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    e.stopPropagation()
    const when = toWhen(choice, at, Date.now())
    if ('error' in when) return setProblem(when.error)
    setProblem(null)
    if (!pending) onSchedule(when)
  }
  return (
    <form className="form schedule-form" onSubmit={submit} noValidate aria-label="Schedule the revoke">
      <label className="field">
        <span>When to revoke</span>
        <select value={choice} onChange={(e) => setChoice(e.target.value as WhenChoice)} disabled={pending}>
          {WHEN_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      {choice === 'at' && (
        <label className="field">
          <span>Date and time (local)</span>
          <input
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
            disabled={pending}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
          />
        </label>
      )}
      {problem && (
        <span className="field-error" id={`${id}-problem`} role="alert">
          {problem}
        </span>
      )}
      {children}
      <div className="form-actions">
        {before}
        <ConfirmButton verb={submitLabel} tenants={tenant} disabled={!!disabled} pending={pending} pendingLabel="Scheduling…" />
      </div>
    </form>
  )
}
