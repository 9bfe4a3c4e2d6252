import type { RateLimitSnapshot, RateLimitWindow } from '../../../shared/ratelimit'

/** Window length from the spacing of recent windows (MeshQu documents one minute). */
export function windowLengthMs(history: readonly RateLimitWindow[]): number {
  let best = Infinity
  for (let i = 1; i < history.length; i++) {
    const d = history[i]!.resetAt - history[i - 1]!.resetAt
    if (d > 0) best = Math.min(best, d)
  }
  return Number.isFinite(best) ? best : 60_000
}

/** "At the current rate the window runs out in ~40 s": requests so far in this window over its elapsed time. */
export function forecast(history: readonly RateLimitWindow[], current: RateLimitSnapshot | null, now: number): { secondsToEmpty: number | null; text: string } {
  if (!current || current.resetAt <= now) return { secondsToEmpty: null, text: 'No requests in the current window yet.' }
  const start = current.resetAt - windowLengthMs(history)
  const used = current.limit - current.remaining
  const elapsed = Math.max(1000, current.observedAt - start)
  if (used <= 0) return { secondsToEmpty: null, text: 'Plenty of headroom: nothing spent in this window.' }
  const perMs = used / elapsed
  const toEmpty = current.remaining / perMs
  const toReset = current.resetAt - now
  if (current.remaining === 0) return { secondsToEmpty: 0, text: `The window is spent; it resets in ${Math.ceil(toReset / 1000)} s.` }
  if (toEmpty >= toReset) return { secondsToEmpty: Math.round(toEmpty / 1000), text: `Plenty of headroom: at the current rate this window lasts until it resets in ${Math.ceil(toReset / 1000)} s.` }
  return { secondsToEmpty: Math.round(toEmpty / 1000), text: `At the current rate the window runs out in ~${Math.max(1, Math.round(toEmpty / 1000))} s.` }
}
