import { SandboxError } from './errors'

/** 429 [DOC] with `Retry-After` (whole seconds ≥ 1) and [ASSUMED] details.retryAfter. */
export function tooManyRequests(retryAfter: number): SandboxError {
  const seconds = Math.max(1, Math.ceil(retryAfter))
  return new SandboxError(
    'TOO_MANY_REQUESTS',
    `Rate limit exceeded; retry in ${seconds} s`,
    { retryAfter: seconds },
    { 'retry-after': String(seconds) }
  )
}

const FAULT_CODES = { 408: 'REQUEST_TIMEOUT', 500: 'INTERNAL_ERROR', 503: 'SERVICE_UNAVAILABLE' } as const

/** An injected failure: 500 INTERNAL_ERROR, 503 SERVICE_UNAVAILABLE (optionally retry_after) or 408. */
export function injectedError(status: 408 | 500 | 503, retryAfter: number | null): SandboxError {
  const withRetry = retryAfter !== null && status !== 500
  return new SandboxError(
    FAULT_CODES[status],
    status === 503
      ? 'The service is temporarily unavailable (sandbox fault)'
      : status === 408
        ? 'The request timed out (sandbox fault)'
        : 'Internal error (sandbox fault)',
    withRetry ? { retry_after: retryAfter } : {},
    withRetry ? { 'retry-after': String(retryAfter) } : {}
  )
}
