import { describe, expect, it } from 'vitest'
import { RateLimiter, rateLimitHeaders, retryAfterSeconds, windowBounds } from '../../../src/sandbox/ratelimit'

describe('fixed-window math', () => {
  it('aligns windows to multiples of windowSeconds and reports the end as an epoch second', () => {
    expect(windowBounds(1_700_000_039_999, 60)).toEqual({ start: 1_699_999_980_000, resetEpochSeconds: 1_700_000_040 })
    expect(windowBounds(1_700_000_040_000, 60)).toEqual({ start: 1_700_000_040_000, resetEpochSeconds: 1_700_000_100 })
    expect(windowBounds(5_500, 2)).toEqual({ start: 4_000, resetEpochSeconds: 6 })
    for (const now of [0, 1, 999, 1000, 123_456_789]) {
      const { start, resetEpochSeconds } = windowBounds(now, 7)
      expect(start).toBeLessThanOrEqual(now)
      expect(resetEpochSeconds * 1000).toBeGreaterThan(now)
      expect(resetEpochSeconds * 1000 - start).toBe(7000)
      expect(Number.isInteger(resetEpochSeconds)).toBe(true)
    }
  })

  it('Retry-After is whole seconds, at least 1', () => {
    expect(retryAfterSeconds(10_000, 12)).toBe(2)
    expect(retryAfterSeconds(10_001, 12)).toBe(2)
    expect(retryAfterSeconds(11_999, 12)).toBe(1)
    expect(retryAfterSeconds(12_000, 12)).toBe(1)
    expect(retryAfterSeconds(15_000, 12)).toBe(1)
  })
})

describe('RateLimiter', () => {
  const clock = (start: number) => {
    let now = start
    return { now: () => now, advance: (ms: number) => void (now += ms) }
  }

  it('allows `limit` requests per window per id, then refuses until the window ends', () => {
    const c = clock(100_000)
    const rl = new RateLimiter({ limit: 3, preAuthLimit: 100, windowSeconds: 10 }, c.now)
    const seen = [1, 2, 3, 4].map(() => rl.consume('post-auth', 't:k'))
    expect(seen.map((d) => d.allowed)).toEqual([true, true, true, false])
    expect(seen.map((d) => d.remaining)).toEqual([2, 1, 0, 0])
    expect(seen[3]).toMatchObject({ limit: 3, resetEpochSeconds: 110, retryAfter: 10 })
    expect(rl.consume('post-auth', 't:other').allowed).toBe(true)
    expect(rl.consume('pre-auth', 't:k')).toMatchObject({ allowed: true, limit: 100, remaining: 99 })
    c.advance(9_500)
    expect(rl.consume('post-auth', 't:k')).toMatchObject({ allowed: false, retryAfter: 1 })
    c.advance(500)
    expect(rl.consume('post-auth', 't:k')).toMatchObject({ allowed: true, remaining: 2, resetEpochSeconds: 120 })
  })

  it('peek does not count; configure and reset start every window afresh', () => {
    const c = clock(0)
    const rl = new RateLimiter({ limit: 2 }, c.now)
    expect(rl.peek('post-auth', 'x')).toMatchObject({ remaining: 2, allowed: true })
    rl.consume('post-auth', 'x')
    rl.consume('post-auth', 'x')
    expect(rl.peek('post-auth', 'x')).toMatchObject({ remaining: 0 })
    expect(rl.consume('post-auth', 'x').allowed).toBe(false)
    expect(rl.configure({ limit: 5 })).toMatchObject({ limit: 5, preAuthLimit: 10_000, windowSeconds: 60 })
    expect(rl.consume('post-auth', 'x')).toMatchObject({ allowed: true, remaining: 4 })
    rl.reset()
    expect(rl.peek('post-auth', 'x').remaining).toBe(5)
  })

  it('renders the three [DOC] headers', () => {
    expect(rateLimitHeaders({ limit: 1000, remaining: 997, resetEpochSeconds: 1_700_000_060 })).toEqual({
      'rate-limit-limit': '1000',
      'rate-limit-remaining': '997',
      'rate-limit-reset': '1700000060'
    })
  })
})
