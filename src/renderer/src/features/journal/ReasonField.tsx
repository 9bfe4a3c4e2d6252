import { useId } from 'react'
import { REASON_MAX } from '../../../../shared/journal'
import { appErrorOf } from '../../lib/api'

/** The server's word on the reason (main refuses a production write without one: VALIDATION, fields.reason). */
export const reasonErrorOf = (error: unknown): string | undefined => (error ? appErrorOf(error).fields?.reason : undefined)

/**
 * "Why": kept in the operator journal with the write. Optional, or required (and marked so) for a
 * production tenant when the setting asks for it; main enforces the same rule. The one reason input
 * of every dialog (a write's, an unlock's, an acknowledgement's): each names what it asks in
 * `label`, `requiredNote` and `hint`.
 */
export function ReasonField({
  value,
  onChange,
  required,
  error,
  message: given,
  disabled,
  label = 'Reason',
  requiredNote = 'required for production',
  hint = "Kept in KeyDesk's journal with this change.",
  placeholder
}: {
  value: string
  onChange: (v: string) => void
  required: boolean
  /** The write's error; only its `fields.reason` is shown here. */
  error?: unknown
  /** A message of the dialog's own for this field (wins over `error`'s). */
  message?: string
  disabled?: boolean
  label?: string
  requiredNote?: string
  hint?: string
  placeholder?: string
}) {
  const id = useId()
  const message = given ?? reasonErrorOf(error)
  return (
    <label className="field">
      <span>
        {label} {required ? <strong>({requiredNote})</strong> : <span className="muted">(optional)</span>}
      </span>
      <input
        type="text"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={REASON_MAX}
        autoComplete="off"
        spellCheck={false}
        required={required}
        aria-required={required || undefined}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : `${id}-hint`}
        disabled={disabled}
        placeholder={placeholder ?? (required ? 'Why this change? e.g. ticket SEC-123' : undefined)}
      />
      {message ? (
        <span className="field-error" id={`${id}-error`}>
          {message}
        </span>
      ) : (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </label>
  )
}

/** The reason to send: blank is none. A required one must have text. */
export const reasonReady = (reason: string, required: boolean) => !required || reason.trim().length > 0
export const reasonToSend = (reason: string) => reason.trim() || undefined
