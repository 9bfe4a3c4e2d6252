import type { AppError } from '../../../shared/errors'
import { appErrorOf } from '../lib/api'
import { describeError } from '../lib/errors'

const isAppError = (e: unknown): e is AppError => !!e && typeof e === 'object' && 'code' in e && 'message' in e && !(e instanceof Error)

/** The one way a form shows what went wrong: one sentence (with its correlation id), announced. */
export function ErrorCallout({ error }: { error: unknown }) {
  if (!error) return null
  return (
    <p className="callout callout-danger" role="alert">
      {describeError(isAppError(error) ? error : appErrorOf(error))}
    </p>
  )
}
