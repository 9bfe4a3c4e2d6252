import { describe, expect, it } from 'vitest'
import { ERROR_CODES, type AppError } from '../../../src/shared/errors'
import { appErrorOf, KeyDeskError, unwrap } from '../../../src/renderer/src/lib/api'
import { describeError } from '../../../src/renderer/src/lib/errors'
import { clockTime, exactUtc, relativeTime } from '../../../src/renderer/src/lib/time'

describe('unwrap', () => {
  it('returns the data of an ok reply', () => {
    expect(unwrap({ ok: true, data: { n: 1 }, meta: { servedFrom: 'network' } } as never)).toEqual({ n: 1 })
  })
  it('throws a KeyDeskError carrying the AppError as it came', () => {
    const error: AppError = { code: 'FORBIDDEN', message: 'MeshQu refused this key (403).', correlationId: 'c-1' }
    let thrown: unknown
    try {
      unwrap({ ok: false, error })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(KeyDeskError)
    expect(appErrorOf(thrown)).toEqual(error)
  })
  it('turns anything else into a generic INTERNAL error without its text', () => {
    const e = appErrorOf(new Error('secret mqu_live_abcdef'))
    expect(e.code).toBe('INTERNAL')
    expect(e.message).not.toContain('mqu_live')
  })
})

describe('describeError', () => {
  it('adds the action when the message lacks one, and the correlation id once', () => {
    const text = describeError({ code: 'UNAUTHORIZED', message: 'MeshQu did not accept the admin key for acme-prod (401).', correlationId: '3f2c' })
    expect(text).toBe("MeshQu did not accept the admin key for acme-prod (401). Replace the tenant's admin key in its settings. Correlation id 3f2c.")
    expect(describeError({ code: 'UPSTREAM', message: 'Failed (500). Correlation id 3f2c.', correlationId: '3f2c' }).match(/3f2c/g)).toHaveLength(1)
  })
  it('keeps a message that already says what to do', () => {
    expect(describeError({ code: 'OFFLINE', message: 'MeshQu is unreachable; check your VPN.' })).toBe('MeshQu is unreachable; check your VPN.')
  })
  it('has an answer for every error code', () => {
    for (const code of ERROR_CODES) expect(describeError({ code, message: 'Something happened.' })).toMatch(/^Something happened\./)
  })
})

describe('times', () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 0)
  it('relative with the exact UTC time for hover', () => {
    expect(relativeTime(now - 3 * 3600e3, now)).toBe('3 hours ago')
    expect(relativeTime(now - 10e3, now)).toBe('just now')
    expect(relativeTime(now + 5 * 86400e3, now)).toBe('in 5 days')
    expect(exactUtc(now)).toBe('2026-01-15 12:00:00 UTC')
  })
  it('clock time on a 24-hour clock', () => {
    expect(clockTime(now)).toMatch(/^\d\d:\d\d$/)
  })
})
