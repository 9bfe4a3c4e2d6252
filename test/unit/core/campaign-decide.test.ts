import { describe, expect, it } from 'vitest'
import { ago, decide, type Evidence } from '../../../src/main/core/campaigns/decide'
import { createPacingShare } from '../../../src/main/core/campaigns/pacing-share'
import type { RateLimitSnapshot } from '../../../src/shared/ratelimit'

const H = 3_600_000
const base: Evidence = {
  now: 100 * H,
  oldLastUsedAt: null,
  oldRevoked: false,
  newFirstUsedAt: null,
  newGone: false,
  quietWindowMs: 24 * H,
  deadlineAt: 200 * H,
  granularityMs: 5 * 60_000,
  checkEveryMs: H
}
const at = (e: Partial<Evidence>) => decide({ ...base, ...e })

describe('the campaign rule', () => {
  it('revokes only when the new key was used and the old one was quiet for W (plus the granularity)', () => {
    const d = at({ oldLastUsedAt: base.now - 26 * H, newFirstUsedAt: base.now - 25 * H })
    expect(d).toEqual({ kind: 'revoke', evidence: 'old key last used 26 h ago; new key first used 25 h ago' })
    // quiet for exactly W, but a use may show up to the granularity late: not yet
    expect(at({ oldLastUsedAt: base.now - 24 * H, newFirstUsedAt: base.now - H }).kind).toBe('wait')
    expect(at({ oldLastUsedAt: base.now - 24 * H - 5 * 60_000, newFirstUsedAt: base.now - H }).kind).toBe('revoke')
  })

  it('never revokes while the replacement is unused, however quiet the old key', () => {
    expect(at({ oldLastUsedAt: base.now - 90 * H }).kind).toBe('wait')
    expect(at({ oldLastUsedAt: null }).kind).toBe('wait')
    expect(at({ oldLastUsedAt: base.now - 90 * H, newFirstUsedAt: base.now - H, newGone: true }).kind).toBe('wait')
  })

  it('holds at the deadline: still in use when the old key was used within W, else replacement unused', () => {
    const late = { now: base.deadlineAt }
    expect(at({ ...late, oldLastUsedAt: late.now - H, newFirstUsedAt: late.now - 2 * H })).toMatchObject({ kind: 'hold', reason: 'still-in-use' })
    expect(at({ ...late, oldLastUsedAt: late.now - 30 * H })).toMatchObject({ kind: 'hold', reason: 'replacement-unused' })
    // the rule says revoke at the deadline too, when both hold
    expect(at({ ...late, oldLastUsedAt: late.now - 30 * H, newFirstUsedAt: late.now - 29 * H }).kind).toBe('revoke')
  })

  it('plans the next check no sooner than the granularity, at the end of W when the replacement is in use, never past the deadline', () => {
    const w = at({ oldLastUsedAt: base.now - 23 * H, newFirstUsedAt: base.now - H, checkEveryMs: 10 * H })
    expect(w).toMatchObject({ kind: 'wait', nextCheckAt: base.now - 23 * H + 5 * 60_000 + 24 * H })
    const soon = at({ oldLastUsedAt: base.now - 24 * H + 1, newFirstUsedAt: base.now - H, checkEveryMs: 1 })
    expect(soon.kind === 'wait' && soon.nextCheckAt - base.now).toBeGreaterThanOrEqual(5 * 60_000)
    const end = at({ deadlineAt: base.now + 1000 })
    expect(end).toMatchObject({ kind: 'wait', nextCheckAt: base.now + 1000 })
  })

  it('an old key revoked meanwhile is recorded, not revoked again', () => {
    expect(at({ oldRevoked: true }).kind).toBe('already-revoked')
  })

  it('says how long ago in a few words', () => {
    expect([ago(5_000), ago(10 * 60_000), ago(26 * H), ago(100 * H)]).toEqual(['5 s', '10 min', '26 h', '4 d'])
  })
})

describe("the campaign's share of a window", () => {
  it('sends at most share × limit per window, the first request learning the window', async () => {
    let now = 0
    let snap: RateLimitSnapshot | undefined
    const sent: number[] = []
    const pacing = createPacingShare({
      tracker: { forTenant: () => snap },
      now: () => now,
      sleep: async (ms) => void (now += ms)
    })
    for (let i = 0; i < 12; i++) {
      await pacing.take('t', 0.25, undefined)
      sent.push(now)
      // the answer: a 1 s window of 20 aligned on whole seconds
      const resetAt = Math.floor(now / 1000) * 1000 + 1000
      snap = { tier: 'post-auth', limit: 20, remaining: 10, resetAt, observedAt: now }
    }
    const perWindow = new Map<number, number>()
    for (const t of sent) perWindow.set(Math.floor(t / 1000), (perWindow.get(Math.floor(t / 1000)) ?? 0) + 1)
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5)
    expect(perWindow.size).toBeGreaterThanOrEqual(3)
  })
})
