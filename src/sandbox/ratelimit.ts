/**
 * Fixed-window rate limiting, two tiers [DOC]: pre-authentication per client IP and
 * post-authentication per tenant + API key. Windows are aligned to the epoch in multiples of
 * `windowSeconds`, so `rate-limit-reset` is always a whole epoch second [ASSUMED].
 */

export type Tier = 'pre-auth' | 'post-auth'

export interface RateLimits {
  /** post-authentication requests per window, per tenant + key */
  limit: number
  /** pre-authentication requests per window, per client IP */
  preAuthLimit: number
  windowSeconds: number
}

export const DEFAULT_LIMITS: RateLimits = { limit: 1000, preAuthLimit: 10_000, windowSeconds: 60 }

export interface WindowBounds {
  /** epoch ms the window started */
  start: number
  /** epoch SECONDS at which the window ends: the `rate-limit-reset` value */
  resetEpochSeconds: number
}

export function windowBounds(nowMs: number, windowSeconds: number): WindowBounds {
  const windowMs = windowSeconds * 1000
  const start = Math.floor(nowMs / windowMs) * windowMs
  return { start, resetEpochSeconds: (start + windowMs) / 1000 }
}

/** Whole seconds until the window ends, never below 1 (a `Retry-After` of 0 invites a hot loop). */
export function retryAfterSeconds(nowMs: number, resetEpochSeconds: number): number {
  return Math.max(1, Math.ceil((resetEpochSeconds * 1000 - nowMs) / 1000))
}

export interface RateDecision {
  tier: Tier
  allowed: boolean
  limit: number
  remaining: number
  resetEpochSeconds: number
  /** whole seconds, ≥ 1; meaningful when not allowed */
  retryAfter: number
}

interface Counter {
  start: number
  count: number
}

export class RateLimiter {
  private counters = new Map<string, Counter>()
  private limits: RateLimits

  constructor(
    limits: Partial<RateLimits> = {},
    private readonly now: () => number = Date.now
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits }
  }

  get current(): RateLimits {
    return { ...this.limits }
  }

  /** Change the limits; every window starts afresh. */
  configure(limits: Partial<RateLimits>): RateLimits {
    this.limits = { ...this.limits, ...limits }
    this.counters.clear()
    return this.current
  }

  reset(): void {
    this.counters.clear()
  }

  private limitOf(tier: Tier): number {
    return tier === 'pre-auth' ? this.limits.preAuthLimit : this.limits.limit
  }

  /** Count one request against `tier`/`id` and say whether it may proceed. */
  consume(tier: Tier, id: string): RateDecision {
    return this.decide(tier, id, true)
  }

  /** The figures for `tier`/`id` without counting a request. */
  peek(tier: Tier, id: string): RateDecision {
    return this.decide(tier, id, false)
  }

  private decide(tier: Tier, id: string, count: boolean): RateDecision {
    const nowMs = this.now()
    const { start, resetEpochSeconds } = windowBounds(nowMs, this.limits.windowSeconds)
    const limit = this.limitOf(tier)
    const key = `${tier}\u0000${id}`
    let counter = this.counters.get(key)
    if (!counter || counter.start !== start) {
      if (!count) {
        return { tier, allowed: true, limit, remaining: limit, resetEpochSeconds, retryAfter: retryAfterSeconds(nowMs, resetEpochSeconds) }
      }
      if (this.counters.size > 50_000) this.sweep(start)
      counter = { start, count: 0 }
      this.counters.set(key, counter)
    }
    const allowed = count ? counter.count < limit : counter.count <= limit
    if (count && allowed) counter.count += 1
    return {
      tier,
      allowed,
      limit,
      remaining: Math.max(0, limit - counter.count),
      resetEpochSeconds,
      retryAfter: retryAfterSeconds(nowMs, resetEpochSeconds)
    }
  }

  private sweep(currentStart: number): void {
    for (const [key, counter] of this.counters) if (counter.start !== currentStart) this.counters.delete(key)
  }
}

export function rateLimitHeaders(d: Pick<RateDecision, 'limit' | 'remaining' | 'resetEpochSeconds'>): Record<string, string> {
  return {
    'rate-limit-limit': String(d.limit),
    'rate-limit-remaining': String(d.remaining),
    'rate-limit-reset': String(d.resetEpochSeconds)
  }
}
