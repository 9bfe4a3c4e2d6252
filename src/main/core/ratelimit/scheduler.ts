import { raceAbort, sleep as timerSleep } from '../sleep'
import type { RateLimitTracker } from './tracker'

/**
 * One pacing gate per tenant for every outgoing MeshQu call. Interactive calls (one click, one
 * request) may use the whole window; background and bulk work keeps a reserve (default 5% of the
 * limit) and waits for the window's reset instead of spending it. After a 429 nothing of that
 * tenant is sent before Retry-After has passed.
 */
export type CallKind = 'interactive' | 'background'

export interface PacingState {
  /** Epoch ms until which calls of this tenant are held, or null. */
  waitingUntil: number | null
  reason: 'rate-limited' | 'window-spent' | null
  inFlight: number
}

export interface SchedulerOptions {
  tracker: RateLimitTracker
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** Read at every decision so a settings change applies at once (default 0.05). */
  reserveFraction?: number | (() => number)
  /** Told whenever a tenant starts or stops waiting, for "waiting for the rate-limit window (12 s)". */
  onState?: (profileId: string, state: PacingState) => void
}

/**
 * Thrown by acquire() instead of waiting when a 429's Retry-After holds the tenant longer than the
 * caller agreed to wait (interactive calls answer RATE_LIMITED at once; see meshqu/client.ts).
 */
export class PacingHeld extends Error {
  constructor(readonly waitMs: number) {
    super('held by the rate limit')
    this.name = 'PacingHeld'
  }
}

/** Margin after a window's reset so our clock and MeshQu's do not race. */
const RESET_MARGIN_MS = 250
const MAX_NAP_MS = 60_000

export function createScheduler(opts: SchedulerOptions) {
  const now = opts.now ?? Date.now
  const custom = opts.sleep
  const sleep = (ms: number, signal?: AbortSignal) => (custom ? raceAbort(custom(ms), signal) : timerSleep(ms, signal))
  const reserveOf = (): number => {
    const r = opts.reserveFraction
    return typeof r === 'function' ? r() : (r ?? 0.05)
  }
  const tenants = new Map<string, { blockedUntil: number; inFlight: number; state: PacingState }>()

  const entry = (id: string) => {
    let e = tenants.get(id)
    if (!e) {
      e = { blockedUntil: 0, inFlight: 0, state: { waitingUntil: null, reason: null, inFlight: 0 } }
      tenants.set(id, e)
    }
    return e
  }

  const publish = (id: string, waitingUntil: number | null, reason: PacingState['reason']) => {
    const e = entry(id)
    const next = { waitingUntil, reason, inFlight: e.inFlight }
    if (next.waitingUntil !== e.state.waitingUntil || next.reason !== e.state.reason) opts.onState?.(id, next)
    e.state = next
  }

  /** When this call may go, or null for now. */
  function holdUntil(id: string, kind: CallKind): { until: number; reason: PacingState['reason'] } | null {
    const e = entry(id)
    const t = now()
    if (e.blockedUntil > t) return { until: e.blockedUntil, reason: 'rate-limited' }
    const s = opts.tracker.forTenant(id)
    if (!s || s.resetAt <= t) return null
    const reserve = kind === 'background' ? Math.ceil(s.limit * reserveOf()) : 0
    const available = s.remaining - e.inFlight
    return available > reserve ? null : { until: s.resetAt + RESET_MARGIN_MS, reason: 'window-spent' }
  }

  return {
    /**
     * Waits for headroom, counts the call in flight, and returns its release. With `maxRateLimitedWaitMs`,
     * a Retry-After hold longer than that rejects with PacingHeld instead of waiting. `signal` ends
     * the wait (rejecting with its reason): whoever stops the caller's work stops its wait too.
     */
    async acquire(profileId: string, kind: CallKind, maxRateLimitedWaitMs?: number, signal?: AbortSignal): Promise<() => void> {
      for (;;) {
        if (signal?.aborted) throw signal.reason
        const hold = holdUntil(profileId, kind)
        if (!hold) break
        const left = hold.until - now()
        if (hold.reason === 'rate-limited' && maxRateLimitedWaitMs !== undefined && left > maxRateLimitedWaitMs) throw new PacingHeld(left)
        publish(profileId, hold.until, hold.reason)
        // Bounded naps: a far-off time must never overflow the timer into a busy loop.
        await sleep(Math.min(MAX_NAP_MS, Math.max(1, hold.until - now())), signal)
      }
      const e = entry(profileId)
      e.inFlight++
      publish(profileId, null, null)
      let released = false
      return () => {
        if (released) return
        released = true
        e.inFlight--
      }
    },
    /** A 429: hold every call of this tenant until Retry-After has passed. */
    rateLimited(profileId: string, retryAfterMs: number) {
      const e = entry(profileId)
      e.blockedUntil = Math.max(e.blockedUntil, now() + Math.max(1000, retryAfterMs))
      opts.tracker.noteRateLimited(profileId, now())
      publish(profileId, e.blockedUntil, 'rate-limited')
    },
    state: (profileId: string): PacingState => ({ ...entry(profileId).state, inFlight: entry(profileId).inFlight }),
    /** Whether any pacing state (a 429 hold, calls in flight) is kept for this tenant. */
    knows: (profileId: string) => tenants.has(profileId),
    forget: (profileId: string) => void tenants.delete(profileId)
  }
}

export type Scheduler = ReturnType<typeof createScheduler>
