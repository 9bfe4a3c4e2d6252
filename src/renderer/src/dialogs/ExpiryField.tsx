import { EXPIRY_PRESETS, type ExpiryPreset } from '../lib/create-key'

export function ExpiryField({
  preset,
  date,
  onPreset,
  onDate,
  error
}: {
  preset: ExpiryPreset
  date: string
  onPreset: (p: ExpiryPreset) => void
  onDate: (d: string) => void
  error?: string
}) {
  return (
    <fieldset className="field" aria-describedby={error ? 'expiry-error' : undefined}>
      <legend>Expires</legend>
      <div className="status-filters" role="radiogroup" aria-label="Expires">
        {EXPIRY_PRESETS.map((p) => (
          <label key={p.id} className={`chip-toggle ${preset === p.id ? 'is-on' : ''}`}>
            <input type="radio" name="expiry" className="sr-only" checked={preset === p.id} onChange={() => onPreset(p.id)} />
            {p.label}
          </label>
        ))}
      </div>
      {preset === 'date' && <input type="date" aria-label="Expiry date" value={date} onChange={(e) => onDate(e.target.value)} />}
      {preset === 'never' && (
        <p className="callout callout-warn" role="status">
          A key that never expires stays valid until someone revokes it. Prefer an expiry and rotate.
        </p>
      )}
      {error && (
        <span id="expiry-error" className="field-error">
          {error}
        </span>
      )}
    </fieldset>
  )
}
