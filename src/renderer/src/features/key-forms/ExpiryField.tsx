import { useId, useState } from 'react'
import { useFormContext, useWatch } from 'react-hook-form'
import type { KeyFormValues } from './key-form'
import { expiryPresets, minExpiryDate } from './scope-presets'

/** The expiry choice of the create and rotate forms (inside their FormProvider). */
export function ExpiryField() {
  const id = useId()
  const { register, control, formState } = useFormContext<KeyFormValues>()
  const preset = useWatch({ control, name: 'expiry.preset' })
  const [minDate] = useState(() => minExpiryDate(Date.now()))
  const errors = formState.errors.expiry
  const error = errors?.date?.message ?? errors?.preset?.message ?? errors?.message
  return (
    <fieldset className="field" aria-describedby={error ? `${id}-error` : undefined} style={{ border: 0, padding: 0, margin: 0 }}>
      <legend>Expires</legend>
      <div role="radiogroup" aria-label="Expires" style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 14px' }}>
        {expiryPresets.map((p) => (
          <label key={p.id} style={{ display: 'flex', gap: 6, alignItems: 'center', whiteSpace: 'nowrap' }}>
            <input type="radio" value={p.id} {...register('expiry.preset')} style={{ width: 'auto', margin: 0 }} />
            <span>{p.label}</span>
          </label>
        ))}
      </div>
      {preset === 'date' && (
        <label className="field">
          <span>Expiry date</span>
          <input
            type="date"
            min={minDate}
            {...register('expiry.date')}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-date-hint`}
          />
          <span className="hint" id={`${id}-date-hint`}>
            The key works until the end of that day (23:59:59 UTC).
          </span>
        </label>
      )}
      {preset === 'never' && (
        <p className="callout callout-warn" role="status" style={{ margin: 0 }}>
          A key without an expiry lives until it is revoked. Prefer an expiry and rotate before it.
        </p>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </fieldset>
  )
}
