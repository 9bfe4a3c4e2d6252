import type { ReactNode } from 'react'

/**
 * A dialog form's footer: Cancel first, then the form's own buttons, its submit last. Cancel
 * never submits (type="button"), so Enter in a field always means the form's own action.
 */
export function FormActions({
  onCancel,
  start,
  children
}: {
  onCancel: () => void
  /** An action apart from the form's own (Remove tenant…), at the far start of the footer. */
  start?: ReactNode
  children?: ReactNode
}) {
  return (
    <div className="form-actions">
      {start}
      {start && <span className="spacer" />}
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      {children}
    </div>
  )
}
