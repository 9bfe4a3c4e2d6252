import type { RateLimitSnapshot } from '../../../shared/ratelimit'

type HeaderBag = Pick<Headers, 'get'>

/** Below this, rate-limit-reset is read as seconds-until-reset rather than an epoch second. */
const EPOCH_SECONDS_FLOOR = 1e9
const MAX_WINDOW_MS = 60 * 60 * 1000
/**
 * The longest pause any server may ask for: a window's length. A longer Retry-After (a year, a
 * garbled date) would hold the tenant's every call, scheduled revokes included, for that long.
 */
export const MAX_RETRY_AFTER_MS = MAX_WINDOW_MS

function intHeader(headers: HeaderBag, name: string): number | null {
  const raw = headers.get(name)
  if (raw === null || raw.trim() === '') return null
  const n = Number(raw.trim())
  return Number.isFinite(n) && n >= 0 ? n : null
}

/**
 * Reads MeshQu's rate-limit-* headers. `rate-limit-reset` is an epoch second [ASSUMED from the
 * docs' example]; a small value is the other common reading, seconds until the reset.
 */
export function parseRateLimit(headers: HeaderBag, now: number, tier: RateLimitSnapshot['tier']): RateLimitSnapshot | null {
  const limit = intHeader(headers, 'rate-limit-limit')
  const remaining = intHeader(headers, 'rate-limit-remaining')
  const reset = intHeader(headers, 'rate-limit-reset')
  if (limit === null || remaining === null || reset === null) return null
  let resetAt = reset >= EPOCH_SECONDS_FLOOR ? reset * 1000 : now + reset * 1000
  // A value in epoch milliseconds (or garbage) would put the reset millennia away: no window is
  // longer than an hour, so never wait past that.
  resetAt = Math.min(resetAt, now + MAX_WINDOW_MS)
  return { tier, limit: Math.floor(limit), remaining: Math.floor(Math.min(remaining, limit)), resetAt, observedAt: now }
}

/** Retry-After as delta-seconds or an HTTP date → milliseconds to wait (≥ 0), or null if absent/garbled. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null
  const v = value.trim()
  if (v === '') return null
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000)
  const at = Date.parse(v)
  if (Number.isNaN(at)) return null
  return Math.max(0, at - now)
}
