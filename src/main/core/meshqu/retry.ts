/** Backoff for idempotent reads: exponential with full jitter, capped; Retry-After wins when longer. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 250, maxDelayMs: 5_000 }

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number | null): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  const jittered = Math.round(random() * ceiling)
  return Math.max(jittered, retryAfterMs ?? 0)
}
