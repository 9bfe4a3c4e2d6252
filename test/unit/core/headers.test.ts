import { describe, expect, it } from 'vitest'
import { parseRateLimit, parseRetryAfter } from '../../../src/main/core/ratelimit/headers'

const h = (o: Record<string, string>) => new Headers(o)
const NOW = 1_700_000_000_000

describe('parseRateLimit', () => {
  it('reads an epoch-second reset as an absolute time', () => {
    const s = parseRateLimit(h({ 'rate-limit-limit': '1000', 'rate-limit-remaining': '997', 'rate-limit-reset': '1700000060' }), NOW, 'post-auth')
    expect(s).toEqual({ tier: 'post-auth', limit: 1000, remaining: 997, resetAt: 1_700_000_060_000, observedAt: NOW })
  })

  it('reads a small reset as seconds until the reset', () => {
    const s = parseRateLimit(h({ 'rate-limit-limit': '20', 'rate-limit-remaining': '3', 'rate-limit-reset': '12' }), NOW, 'pre-auth')
    expect(s?.resetAt).toBe(NOW + 12_000)
    expect(s?.tier).toBe('pre-auth')
  })

  it('returns null when a header is missing or garbled', () => {
    expect(parseRateLimit(h({ 'rate-limit-limit': '20', 'rate-limit-remaining': '3' }), NOW, 'post-auth')).toBeNull()
    expect(parseRateLimit(h({ 'rate-limit-limit': 'x', 'rate-limit-remaining': '3', 'rate-limit-reset': '1' }), NOW, 'post-auth')).toBeNull()
    expect(parseRateLimit(h({ 'rate-limit-limit': '5', 'rate-limit-remaining': '-1', 'rate-limit-reset': '1' }), NOW, 'post-auth')).toBeNull()
  })

  it('never reports more remaining than the limit', () => {
    expect(parseRateLimit(h({ 'rate-limit-limit': '5', 'rate-limit-remaining': '9', 'rate-limit-reset': '1' }), NOW, 'post-auth')?.remaining).toBe(5)
  })
})

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000)
    expect(parseRetryAfter(' 1 ', NOW)).toBe(1000)
  })
  it('reads an HTTP date', () => {
    const at = new Date(NOW + 30_000).toUTCString()
    expect(parseRetryAfter(at, NOW)).toBe(30_000)
  })
  it('clamps a past date to zero and ignores garbage', () => {
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0)
    expect(parseRetryAfter('soon', NOW)).toBeNull()
    expect(parseRetryAfter(null, NOW)).toBeNull()
    expect(parseRetryAfter('', NOW)).toBeNull()
  })
})

describe('implausible resets', () => {
  it('never puts a reset more than an hour away (e.g. a value in epoch milliseconds)', () => {
    const s = parseRateLimit(h({ 'rate-limit-limit': '10', 'rate-limit-remaining': '0', 'rate-limit-reset': String(NOW + 60_000) }), NOW, 'post-auth')
    expect(s?.resetAt).toBe(NOW + 3_600_000)
  })
})
