import { describe, expect, it } from 'vitest'
import { forecast, windowLengthMs, windowStartMs } from '../../../src/renderer/src/features/headroom/forecast'
import type { RateLimitSnapshot } from '../../../src/shared/ratelimit'

const T = 1_000_000_000_000
const win = (resetAt: number, requests = 1) => ({ resetAt, limit: 100, requests, lowestRemaining: 50, rateLimited: 0 })
const snap = (s: Partial<RateLimitSnapshot>): RateLimitSnapshot => ({
  tier: 'post-auth',
  limit: 100,
  remaining: 100,
  resetAt: T + 30_000,
  observedAt: T,
  ...s
})

describe('window length and start', () => {
  it('learns the window length from history, defaulting to a minute', () => {
    expect(windowLengthMs([])).toBe(60_000)
    expect(windowLengthMs([win(T)])).toBe(60_000)
    expect(windowLengthMs([win(T), win(T + 5000), win(T + 15000)])).toBe(5000)
    // Idle windows in between never stretch it beyond a minute.
    expect(windowLengthMs([win(T), win(T + 600_000)])).toBe(60_000)
  })
  it("starts the window at the previous window's reset", () => {
    // 60 s windows; the previous one reset 25 s ago, so this one is 25 s old however long it lasts.
    const history = [win(T - 145_000), win(T - 85_000), win(T - 25_000)]
    expect(windowStartMs(history, snap({ resetAt: T + 30_000 }))).toBe(T - 25_000)
  })
  it('ignores the current window in history and a previous window long ago', () => {
    const current = snap({ resetAt: T + 30_000 })
    expect(windowStartMs([win(T - 600_000), win(T + 30_000)], current)).toBe(T - 30_000)
    expect(windowStartMs([], current)).toBe(T - 30_000)
  })
})

describe('headroom forecast', () => {
  it('says when the window runs out at the current rate', () => {
    // 60 s window, 30 s in, 80 of 100 spent: 20 left at 80 per 30 s → 7.5 s, before the reset in 30 s.
    const f = forecast([], snap({ remaining: 20 }), T)
    expect(f.secondsToEmpty).toBe(8)
    expect(f.text).toBe('At the current rate the window runs out in ~8 s.')
  })
  it('uses the previous reset as the start of the window', () => {
    // The window began 10 s ago (previous reset), 50 spent: 5 per second, 50 left → 10 s, reset in 30 s.
    const f = forecast([win(T - 10_000)], snap({ remaining: 50 }), T)
    expect(f.secondsToEmpty).toBe(10)
    expect(f.text).toBe('At the current rate the window runs out in ~10 s.')
  })
  it('counts from now when the reading is a few seconds old', () => {
    const f = forecast([], snap({ remaining: 20, observedAt: T - 2000, resetAt: T + 30_000 }), T)
    // 28 s elapsed at the reading, 80 spent: 20 left in 7 s after the reading → 5 s from now.
    expect(f.secondsToEmpty).toBe(5)
  })
  it('reports plenty of headroom when the rate cannot spend it before the reset', () => {
    const f = forecast([], snap({ limit: 1000, remaining: 990 }), T)
    expect(f.secondsToEmpty).toBeNull()
    expect(f.text).toMatch(/^Plenty of headroom at the current rate/)
    expect(forecast([], snap({}), T).text).toMatch(/^Plenty of headroom at the current rate/)
  })
  it('handles a spent window, a reset window and no reading', () => {
    expect(forecast([], snap({ limit: 10, remaining: 0, resetAt: T + 4000 }), T)).toEqual({
      secondsToEmpty: 0,
      text: 'The window is spent; it resets in 4 s.'
    })
    expect(forecast([], snap({ remaining: 3, resetAt: T - 1, observedAt: T - 5000 }), T).secondsToEmpty).toBeNull()
    expect(forecast([], null, T).secondsToEmpty).toBeNull()
  })
  it('never promises less than a second', () => {
    const f = forecast([], snap({ remaining: 1 }), T)
    expect(f.text).toBe('At the current rate the window runs out in ~1 s.')
  })
})
