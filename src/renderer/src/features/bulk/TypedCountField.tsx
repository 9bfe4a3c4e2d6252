/**
 * "Type the number of keys to confirm": both bulk dialogs ask for the count back before a revoke
 * of many keys (the keys view's and the radar's), so a stray Enter never revokes a selection.
 */
export function TypedCountField({ value, onChange, disabled }: { value: string; onChange: (value: string) => void; disabled?: boolean }) {
  return (
    <label className="field">
      <span>Type the number of keys to confirm</span>
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoFocus
        disabled={disabled}
      />
    </label>
  )
}
