import type { AppError, ErrorCode } from '../../../shared/errors'

/** What to do about each error code: the action half of "what happened, what to do". */
const ACTIONS: Record<ErrorCode, string> = {
  VALIDATION: 'Correct the highlighted fields and try again.',
  UNAUTHORIZED: "Replace the tenant's admin key in its settings.",
  FORBIDDEN: 'Use an admin key of this tenant that has api-keys:admin.',
  NOT_FOUND: 'Refresh the list; it may have changed.',
  RATE_LIMITED: 'KeyDesk resumes by itself when the window resets.',
  OFFLINE: 'Check your network or VPN; KeyDesk retries by itself.',
  TIMEOUT: 'Try again; it is safe.',
  UPSTREAM: 'Try again shortly.',
  KEYCHAIN_UNAVAILABLE: 'Unlock or start your keychain, then retry.',
  READ_ONLY: '',
  INTERNAL: 'Try again; if it repeats, restart KeyDesk.'
}

/** One sentence that says what happened, plus the action when the message lacks one. */
export function describeError(e: AppError): string {
  const action = ACTIONS[e.code]
  const hasAction = /\b(retry|try again|replace|check|unlock|install|type|pick|refresh|correct|use)\b/i.test(e.message)
  let text = e.message
  if (action && !hasAction) text += ` ${action}`
  if (e.correlationId && !text.includes(e.correlationId)) text += ` Correlation id ${e.correlationId}.`
  return text
}
