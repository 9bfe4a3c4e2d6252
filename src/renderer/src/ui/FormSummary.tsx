import { get, type FieldErrors, type FieldPath, type FieldValues } from 'react-hook-form'
import type { ErrorContext } from '../lib/errors'
import { ErrorCallout, toAppError } from './ErrorCallout'

/**
 * A form's one summary. Field errors (the form's own checks and main's `fields`) sit on
 * their fields; the summary only names which fields to look at, in the operator's words — never
 * a channel or a schema path, never one of the field sentences again. An error that is not about
 * a field (401 at verification, host unreachable…) is the summary itself, with main's sentence.
 */
export function FormSummary<T extends FieldValues>({
  error,
  errors,
  labels,
  context
}: {
  error: unknown
  errors: FieldErrors<T>
  /** Form field (a path for nested ones: "production.unusedDays") → how the operator knows it, in the form's order. */
  labels: Partial<Record<FieldPath<T>, string>>
  context?: ErrorContext
}) {
  const app = error ? toAppError(error) : null
  // The operator's own Cancel is no failure: said calmly, with main's word that nothing was saved.
  if (app?.code === 'CANCELLED') {
    return (
      <p className="callout" role="status">
        {app.message}
      </p>
    )
  }
  // A refusal of the values themselves (the router's or main's checks) is told by the fields.
  if (app && app.code !== 'VALIDATION') return <ErrorCallout error={app} context={context} />
  const named = Object.entries(labels)
    .filter(([field]) => get(errors, field))
    .map(([, label]) => label as string)
  if (named.length === 0) {
    if (!app) return null
    // Refused values the form has no field for: main's sentence would name a channel or a path.
    if (app.fields && Object.keys(app.fields).length > 0) {
      return (
        <p className="callout callout-danger" role="alert">
          KeyDesk could not accept these values. Check them and try again.
        </p>
      )
    }
    return <ErrorCallout error={app} context={context} />
  }
  const list = named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`
  return (
    <p className="callout callout-danger" role="alert">
      {named.length === 1 ? `Check ${list}: the note under it says what is wrong.` : `Check ${list}: each has a note under it saying what is wrong.`}
    </p>
  )
}
