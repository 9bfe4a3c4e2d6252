import type { AppError } from '../../../shared/errors'
import { appErrorOf } from '../lib/api'
import { explainError, type ErrorActionKind, type ErrorContext } from '../lib/errors'

const isAppError = (e: unknown): e is AppError => !!e && typeof e === 'object' && 'code' in e && 'message' in e && !(e instanceof Error)

/** An AppError as it came in a reply, or whatever a hook threw (a KeyDeskError or worse). */
export const toAppError = (error: unknown): AppError => (isAppError(error) ? error : appErrorOf(error))

/**
 * The one way a view shows what went wrong: one sentence (with its correlation id), announced,
 * and the error's action as a button where the view can carry it out.
 */
export function ErrorCallout({
  error,
  context,
  actions
}: {
  error: unknown
  context?: ErrorContext
  actions?: Partial<Record<ErrorActionKind, () => void>>
}) {
  if (!error) return null
  const view = explainError(toAppError(error), context)
  const run = view.action ? actions?.[view.action.kind] : undefined
  return (
    <p className="callout callout-danger" role="alert">
      {view.text}
      {run && view.action && (
        <>
          {' '}
          <button type="button" className="button small" onClick={run}>
            {view.action.label}
          </button>
        </>
      )}
    </p>
  )
}
