import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createScheduler } from '../../../src/main/core/ratelimit/scheduler'
import { createRateLimitTracker } from '../../../src/main/core/ratelimit/tracker'

/** A virtual clock: sleep advances time instantly, so pacing is tested without waiting. */
function virtualClock(start = 1_000_000) {
  let t = start
  return { now: () => t, sleep: async (ms: number) => void (t += ms) }
}

const T = 'tenant-1'
const BASE = 'http://127.0.0.1:1'

describe('pacing scheduler', () => {
  it('lets calls through when nothing is known yet', async () => {
    const clock = virtualClock()
    const s = createScheduler({ tracker: createRateLimitTracker(), ...clock })
    const release = await s.acquire(T, 'background')
    expect(clock.now()).toBe(1_000_000)
    release()
  })

  it('keeps the reserve for interactive calls: background work waits for the reset', async () => {
    const clock = virtualClock()
    const tracker = createRateLimitTracker()
    const states: unknown[] = []
    const s = createScheduler({ tracker, ...clock, onState: (_id, st) => states.push(st) })
    tracker.record(
      { profileId: T, baseUrl: BASE },
      { tier: 'post-auth', limit: 100, remaining: 5, resetAt: clock.now() + 12_000, observedAt: clock.now() }
    )
    // Interactive may spend the last requests of the window…
    ;(await s.acquire(T, 'interactive'))()
    expect(clock.now()).toBe(1_000_000)
    // …background work does not touch the 5% reserve and waits for the window instead.
    ;(await s.acquire(T, 'background'))()
    expect(clock.now()).toBeGreaterThanOrEqual(1_012_000)
    expect(states[0]).toMatchObject({ reason: 'window-spent', waitingUntil: 1_012_250 })
  })

  it('counts calls in flight against the remaining headroom', async () => {
    const clock = virtualClock()
    const tracker = createRateLimitTracker()
    const s = createScheduler({ tracker, ...clock, reserveFraction: 0 })
    tracker.record(
      { profileId: T, baseUrl: BASE },
      { tier: 'post-auth', limit: 10, remaining: 2, resetAt: clock.now() + 5000, observedAt: clock.now() }
    )
    const a = await s.acquire(T, 'background')
    const b = await s.acquire(T, 'background')
    expect(clock.now()).toBe(1_000_000)
    expect(s.state(T).inFlight).toBe(2)
    const third = s.acquire(T, 'background')
    const r = await third
    expect(clock.now()).toBeGreaterThanOrEqual(1_005_000)
    a()
    b()
    r()
    expect(s.state(T).inFlight).toBe(0)
  })

  it('after a 429 sends nothing of that tenant before Retry-After, and other tenants go on', async () => {
    const clock = virtualClock()
    const s = createScheduler({ tracker: createRateLimitTracker(), ...clock })
    s.rateLimited(T, 7000)
    expect(s.state(T)).toMatchObject({ reason: 'rate-limited', waitingUntil: 1_007_000 })
    ;(await s.acquire('other', 'interactive'))()
    expect(clock.now()).toBe(1_000_000)
    ;(await s.acquire(T, 'interactive'))()
    expect(clock.now()).toBeGreaterThanOrEqual(1_007_000)
  })

  it('under a 429 storm the number of calls sent is bounded by the Retry-After schedule', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }), async (retryAfters) => {
        const clock = virtualClock()
        const s = createScheduler({ tracker: createRateLimitTracker(), ...clock })
        const start = clock.now()
        const sentAt: number[] = []
        for (const seconds of retryAfters) {
          const release = await s.acquire(T, 'interactive')
          sentAt.push(clock.now())
          release()
          s.rateLimited(T, seconds * 1000) // every answer is a 429
        }
        // Each call after a 429 waited out that 429's Retry-After.
        for (let i = 1; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(retryAfters[i - 1]! * 1000)
        const waitedFor = retryAfters.slice(0, -1).reduce((a, b) => a + b, 0) * 1000
        expect(clock.now() - start).toBeGreaterThanOrEqual(waitedFor)
      })
    )
  })

  it('the reserve is never spent by background work (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 20, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 50 }),
        async (limit, rem, calls) => {
          const remaining = Math.min(rem, limit)
          const clock = virtualClock()
          const tracker = createRateLimitTracker()
          const s = createScheduler({ tracker, ...clock })
          const resetAt = clock.now() + 60_000
          tracker.record({ profileId: T, baseUrl: BASE }, { tier: 'post-auth', limit, remaining, resetAt, observedAt: clock.now() })
          const reserve = Math.ceil(limit * 0.05)
          const held: (() => void)[] = []
          let sentBeforeReset = 0
          for (let i = 0; i < calls; i++) {
            held.push(await s.acquire(T, 'background'))
            if (clock.now() < resetAt) sentBeforeReset++
          }
          expect(sentBeforeReset).toBeLessThanOrEqual(Math.max(0, remaining - reserve))
          held.forEach((r) => r())
        }
      ),
      { numRuns: 200 }
    )
  })
})

describe('reserve from settings', () => {
  it('reads the reserve at every decision, so a settings change applies at once', async () => {
    const clock = virtualClock()
    const tracker = createRateLimitTracker()
    let reserve = 0.05
    const s = createScheduler({ tracker, ...clock, reserveFraction: () => reserve })
    tracker.record(
      { profileId: T, baseUrl: BASE },
      { tier: 'post-auth', limit: 100, remaining: 40, resetAt: clock.now() + 9000, observedAt: clock.now() }
    )
    ;(await s.acquire(T, 'background'))()
    expect(clock.now()).toBe(1_000_000)
    reserve = 0.5
    ;(await s.acquire(T, 'background'))()
    expect(clock.now()).toBeGreaterThanOrEqual(1_009_000)
  })
})
