import { useId, type ReactNode } from 'react'
import { useFormContext } from 'react-hook-form'
import type { KeyFormValues } from './key-form'

/**
 * The key name of the create and rotate forms (inside their FormProvider). It takes focus when
 * the dialog opens; `hint` is shown until the field has an error, which then replaces it.
 */
export function KeyNameField({ label, hint }: { label: string; hint?: ReactNode }) {
  const id = useId()
  const { register, formState } = useFormContext<KeyFormValues>()
  const error = formState.errors.name?.message
  const describedBy = [hint && !error ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ')
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="text"
        autoComplete="off"
        spellCheck={false}
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...register('name')}
      />
      {hint && !error && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </label>
  )
}
