import { describe, expect, it } from 'vitest'
import { forecast, windowLengthMs } from '../../../src/renderer/src/lib/forecast'

const T = 1_000_000_000_000
const win = (resetAt: number) => ({ resetAt, limit: 100, requests: 1, lowestRemaining: 50, rateLimited: 0 })

describe('headroom forecast', () => {
  it('learns the window length from history, defaulting to a minute', () => {
    expect(windowLengthMs([])).toBe(60_000)
    expect(windowLengthMs([win(T), win(T + 5000), win(T + 15000)])).toBe(5000)
  })
  it('says when the window runs out at the current rate', () => {
    // 60 s window, 30 s in, 80 of 100 spent: 20 left at 80/30 s → ~7.5 s, before the reset in 30 s.
    const f = forecast([], { tier: 'post-auth', limit: 100, remaining: 20, resetAt: T + 30_000, observedAt: T }, T)
    expect(f.secondsToEmpty).toBe(8)
    expect(f.text).toBe('At the current rate the window runs out in ~8 s.')
  })
  it('reports plenty of headroom when the rate cannot spend it before the reset', () => {
    const f = forecast([], { tier: 'post-auth', limit: 1000, remaining: 990, resetAt: T + 30_000, observedAt: T }, T)
    expect(f.text).toMatch(/^Plenty of headroom/)
  })
  it('handles a spent window and stale readings', () => {
    expect(forecast([], { tier: 'post-auth', limit: 10, remaining: 0, resetAt: T + 4000, observedAt: T }, T).text).toBe('The window is spent; it resets in 4 s.')
    expect(forecast([], { tier: 'post-auth', limit: 10, remaining: 3, resetAt: T - 1, observedAt: T - 5000 }, T).secondsToEmpty).toBeNull()
    expect(forecast([], null, T).secondsToEmpty).toBeNull()
  })
})
