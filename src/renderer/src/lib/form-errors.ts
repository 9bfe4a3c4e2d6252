import type { FieldValues, Path, UseFormSetError } from 'react-hook-form'
import type { AppError } from '../../../shared/errors'

/**
 * Puts a reply's field errors (`fields`: path → message, from main's validation or MeshQu's
 * details) on the form's own fields. `fieldOf` maps a reply path ("key.name", "adminKey") to a
 * form field, or null when the form has no such field. Returns whether any field got one, so the
 * summary can point at them.
 */
export function setServerFieldErrors<T extends FieldValues>(
  error: AppError,
  setError: UseFormSetError<T>,
  fieldOf: (path: string) => Path<T> | null
): boolean {
  let shown = false
  for (const [path, message] of Object.entries(error.fields ?? {})) {
    const field = fieldOf(path)
    if (!field) continue
    setError(field, { type: 'server', message })
    shown = true
  }
  return shown
}
