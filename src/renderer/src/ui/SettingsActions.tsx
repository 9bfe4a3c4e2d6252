/** A settings form's last row: Restore defaults on the left; Cancel and the save button on the right. */
export function SettingsActions({
  onRestore,
  onCancel,
  saving,
  saveLabel = 'Save'
}: {
  onRestore: () => void
  onCancel: () => void
  saving: boolean
  saveLabel?: string
}) {
  return (
    <div className="form-actions">
      <button type="button" className="button" onClick={onRestore} disabled={saving}>
        Restore defaults
      </button>
      <span className="spacer" />
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button primary" disabled={saving}>
        {saving ? 'Saving…' : saveLabel}
      </button>
    </div>
  )
}
