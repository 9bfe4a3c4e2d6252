import { useId, type ReactNode } from 'react'
import type { TenantView } from '../../../shared/tenants'

type TenantRef = Pick<TenantView, 'label'>

/**
 * "Revoke in acme-prod": a write's confirm button names the tenant it acts on, so the last thing
 * read before a write is where it goes. Across tenants: each label up to three, then the count.
 */
export function confirmLabel(verb: string, tenants: TenantRef | readonly TenantRef[]): string {
  const list = Array.isArray(tenants) ? (tenants as readonly TenantRef[]) : [tenants as TenantRef]
  const labels = list.map((t) => t.label)
  const where = labels.length <= 3 ? labels.join(', ').replace(/, ([^,]*)$/, ' and $1') : `${labels.length} tenants`
  return `${verb} in ${where}`
}

/** What the operator types back before a destructive write: the key's name, or the number of keys. */
export interface TypeBack {
  expected: string
  value: string
  onChange(value: string): void
}

/**
 * A revoke of many keys asks for their number typed back (the keys view's and the radar's), so a
 * stray Enter never revokes a selection.
 */
export const TYPE_COUNT_LABEL = 'Type the number of keys to confirm'

/** A name must match exactly; a count may carry stray spaces. */
export const typedBack = (t: TypeBack | undefined) => !t || t.value === t.expected || (/^\d+$/.test(t.expected) && t.value.trim() === t.expected)

/**
 * The field a name or a count is typed back into: no autocomplete, no spell check, its hint read
 * with it. Every typed confirmation uses it (a write's, and a tenant's safeguards lowered).
 */
export function TypeBackField({
  label,
  hint,
  value,
  onChange,
  numeric = false,
  autoFocus = false,
  disabled = false,
  placeholder
}: {
  label: ReactNode
  hint?: ReactNode
  value: string
  onChange(value: string): void
  numeric?: boolean
  autoFocus?: boolean
  disabled?: boolean
  placeholder?: string
}) {
  const hintId = useId()
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="text"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoFocus={autoFocus}
        autoComplete="off"
        spellCheck={false}
        inputMode={numeric ? 'numeric' : undefined}
        disabled={disabled}
        placeholder={placeholder}
        aria-describedby={hint ? hintId : undefined}
      />
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
    </label>
  )
}

/** The confirm button alone, for a write whose form has no Cancel (the detail panel's schedule). */
export function ConfirmButton({
  verb,
  tenants,
  disabled,
  pending,
  pendingLabel,
  danger = true,
  describedBy,
  onConfirm
}: {
  verb: string
  tenants: TenantRef | readonly TenantRef[]
  disabled: boolean
  pending: boolean
  pendingLabel: string
  danger?: boolean
  describedBy?: string
  onConfirm?: () => void
}) {
  return (
    <button
      type={onConfirm ? 'button' : 'submit'}
      className={`button ${danger ? 'danger' : 'primary'}`}
      disabled={disabled || pending}
      aria-describedby={describedBy}
      onClick={onConfirm}
    >
      {pending ? pendingLabel : confirmLabel(verb, tenants)}
    </button>
  )
}

/**
 * The confirm step every write dialog shares: what is typed back (when asked), then Cancel and the
 * confirm button that names the tenant. Dialogs describe the write; this decides how it is
 * confirmed, in one place, so a stricter or lighter confirmation is one change here.
 */
export function ConfirmWrite({
  verb,
  tenants,
  typeBack,
  typeBackLabel,
  typeBackHint,
  ready,
  pending,
  pendingLabel,
  onCancel,
  onConfirm,
  danger = true,
  describedBy,
  before,
  typeBackAutoFocus = true,
  children
}: {
  /** "Revoke", "Rotate", "Schedule", "Create": the button reads "<verb> in <tenant>". */
  verb: string
  tenants: TenantRef | readonly TenantRef[]
  typeBack?: TypeBack
  typeBackLabel?: ReactNode
  typeBackHint?: ReactNode
  /** Every other condition of the write holds (reason given, nothing blocks it). */
  ready: boolean
  pending: boolean
  pendingLabel: string
  onCancel: () => void
  /** A button outside a form (the default submits the dialog's form). */
  onConfirm?: () => void
  danger?: boolean
  describedBy?: string
  /** Fields the dialog shows between the typed-back field and the buttons (the reason). */
  before?: ReactNode
  typeBackAutoFocus?: boolean
  /** Buttons beside Cancel, before the confirm button. */
  children?: ReactNode
}) {
  const ok = ready && typedBack(typeBack) && !pending
  return (
    <>
      {typeBack && (
        <TypeBackField
          label={typeBackLabel ?? 'Type it to confirm'}
          hint={typeBackHint}
          value={typeBack.value}
          onChange={typeBack.onChange}
          numeric={/^\d+$/.test(typeBack.expected)}
          autoFocus={typeBackAutoFocus}
          disabled={pending}
        />
      )}
      {before}
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        {children}
        <ConfirmButton
          verb={verb}
          tenants={tenants}
          disabled={!ok}
          pending={pending}
          pendingLabel={pendingLabel}
          danger={danger}
          describedBy={describedBy}
          onConfirm={onConfirm}
        />
      </div>
    </>
  )
}
