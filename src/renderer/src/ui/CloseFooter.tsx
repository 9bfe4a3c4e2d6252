/**
 * The footer of a dialog, or of a dialog's dead end ("this key is not in the list any more"),
 * whose only action left is to close it: one primary Close.
 */
export function CloseFooter({ onClose }: { onClose: () => void }) {
  return (
    <div className="form-actions">
      <button type="button" className="button primary" onClick={onClose}>
        Close
      </button>
    </div>
  )
}
