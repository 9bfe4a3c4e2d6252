import type { RateLimitSnapshot, RateLimitWindow } from '../../../../shared/ratelimit'

/** MeshQu documents one-minute windows; used until the history shows otherwise. */
export const DEFAULT_WINDOW_MS = 60_000

/**
 * Window length from the spacing of recent windows (the shortest gap between two resets), at most
 * a minute: sparse history (idle windows in between) must not stretch it.
 */
export function windowLengthMs(history: readonly RateLimitWindow[]): number {
  let best = DEFAULT_WINDOW_MS
  for (let i = 1; i < history.length; i++) {
    const d = history[i]!.resetAt - history[i - 1]!.resetAt
    if (d > 0) best = Math.min(best, d)
  }
  return best
}

/**
 * When the current window began: the previous window's reset when KeyDesk saw it (windows follow
 * each other), otherwise one window length before this window's reset.
 */
export function windowStartMs(history: readonly RateLimitWindow[], current: RateLimitSnapshot): number {
  const assumed = current.resetAt - windowLengthMs(history)
  let previous = -Infinity
  for (const w of history) if (w.resetAt < current.resetAt && w.resetAt > previous) previous = w.resetAt
  // A previous window long ago (idle windows in between) says nothing; never start earlier than one window.
  return Math.max(previous, assumed)
}

export interface Forecast {
  /** Seconds from `now` until the window is spent at the current rate; null when it lasts until the reset. */
  secondsToEmpty: number | null
  text: string
}

/**
 * "At the current rate the window runs out in ~40 s": the rate is the requests spent so far in the
 * current window over the time elapsed since it began (at the reading).
 */
export function forecast(history: readonly RateLimitWindow[], current: RateLimitSnapshot | null, now: number): Forecast {
  if (!current) return { secondsToEmpty: null, text: 'No reading yet: the forecast starts after the first request to this tenant.' }
  if (current.resetAt <= now)
    return { secondsToEmpty: null, text: 'Plenty of headroom at the current rate: the window has reset and nothing was spent since.' }
  const toReset = Math.ceil((current.resetAt - now) / 1000)
  if (current.remaining === 0) return { secondsToEmpty: 0, text: `The window is spent; it resets in ${toReset} s.` }
  const used = current.limit - current.remaining
  if (used <= 0) return { secondsToEmpty: null, text: 'Plenty of headroom at the current rate: nothing spent in this window yet.' }
  const elapsed = Math.max(1000, current.observedAt - windowStartMs(history, current))
  const perMs = used / elapsed
  const emptyAt = current.observedAt + current.remaining / perMs
  if (emptyAt >= current.resetAt) {
    return { secondsToEmpty: null, text: `Plenty of headroom at the current rate: this window lasts until it resets in ${toReset} s.` }
  }
  const seconds = Math.max(0, Math.round((emptyAt - now) / 1000))
  return { secondsToEmpty: seconds, text: `At the current rate the window runs out in ~${Math.max(1, seconds)} s.` }
}
