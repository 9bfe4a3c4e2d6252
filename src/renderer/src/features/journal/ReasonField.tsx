import { useId } from 'react'
import { REASON_MAX } from '../../../../shared/journal'
import { appErrorOf } from '../../lib/api'

/** The server's word on the reason (main refuses a production write without one: VALIDATION, fields.reason). */
export const reasonErrorOf = (error: unknown): string | undefined => (error ? appErrorOf(error).fields?.reason : undefined)

/**
 * "Why": kept in the operator journal with the write. Optional, or required (and marked so) for a
 * production tenant when the setting asks for it; main enforces the same rule.
 */
export function ReasonField({
  value,
  onChange,
  required,
  error,
  disabled
}: {
  value: string
  onChange: (v: string) => void
  required: boolean
  /** The write's error; only its `fields.reason` is shown here. */
  error?: unknown
  disabled?: boolean
}) {
  const id = useId()
  const message = reasonErrorOf(error)
  return (
    <label className="field">
      <span>Reason {required ? <strong>(required for production)</strong> : <span className="muted">(optional)</span>}</span>
      <input
        type="text"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={REASON_MAX}
        autoComplete="off"
        required={required}
        aria-required={required || undefined}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : `${id}-hint`}
        disabled={disabled}
        placeholder={required ? 'Why this change? e.g. ticket SEC-123' : undefined}
      />
      {message ? (
        <span className="field-error" id={`${id}-error`}>
          {message}
        </span>
      ) : (
        <span className="hint" id={`${id}-hint`}>
          Kept in KeyDesk&apos;s journal with this change.
        </span>
      )}
    </label>
  )
}

/** The reason to send: blank is none. A required one must have text. */
export const reasonReady = (reason: string, required: boolean) => !required || reason.trim().length > 0
export const reasonToSend = (reason: string) => reason.trim() || undefined
