import type { ReactNode } from 'react'

/**
 * A dialog form's footer: Cancel first, then the form's own buttons, its submit last. Cancel
 * never submits (type="button"), so Enter in a field always means the form's own action.
 */
export function FormActions({ onCancel, children }: { onCancel: () => void; children?: ReactNode }) {
  return (
    <div className="form-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      {children}
    </div>
  )
}
