import { describe, expect, it } from 'vitest'
import { ERROR_CODES, type AppError } from '../../../src/shared/errors'
import { appErrorOf, KeyDeskError, unwrap } from '../../../src/renderer/src/lib/api'
import { describeError, explainError } from '../../../src/renderer/src/lib/errors'
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

describe("explainError: one sentence and one action, from the error's structure", () => {
  it('adds advice only for codes whose sentence from main gives none, and the correlation id once', () => {
    const text = describeError({
      code: 'NOT_FOUND',
      message: 'MeshQu has no such resource in tenant acme-prod (404).',
      correlationId: '3f2c',
      status: 404
    })
    expect(text).toBe('MeshQu has no such resource in tenant acme-prod (404). Refresh the list; it may have changed. Correlation id 3f2c.')
    expect(describeError({ code: 'UPSTREAM', message: 'Failed (500). Correlation id 3f2c.', correlationId: '3f2c' }).match(/3f2c/g)).toHaveLength(1)
  })
  it("keeps main's sentence as it is where main already says what to do", () => {
    // The wording of the message plays no part: the same code always gets the same treatment.
    for (const message of ['MeshQu is unreachable; check your VPN.', 'MeshQu is unreachable.']) {
      expect(describeError({ code: 'OFFLINE', message, outcome: 'not-sent', reachedServer: false })).toBe(message)
    }
  })
  it('never offers a blind retry when the request may have been applied', () => {
    const v = explainError({ code: 'TIMEOUT', message: 'Timed out.', outcome: 'unknown', reachedServer: true })
    expect(v.action?.kind).toBe('refresh')
    expect(v.mayHaveApplied).toBe(true)
    const sent = explainError({ code: 'TIMEOUT', message: 'Timed out.', outcome: 'not-sent', reachedServer: false })
    expect(sent.action?.kind).toBe('retry')
    expect(sent.mayHaveApplied).toBe(false)
  })
  it('sends refused admin keys and redirecting base URLs to the tenant settings', () => {
    expect(explainError({ code: 'UNAUTHORIZED', message: 'x', status: 401, outcome: 'rejected', reachedServer: true }).action?.kind).toBe(
      'tenant-settings'
    )
    expect(explainError({ code: 'UPSTREAM', message: 'x', status: 302, outcome: 'rejected', reachedServer: true }).action?.kind).toBe(
      'tenant-settings'
    )
    expect(explainError({ code: 'UPSTREAM', message: 'x', status: 500, outcome: 'rejected', reachedServer: true }).action?.kind).toBe('retry')
  })
  it("sends settings changed outside KeyDesk to the tenant settings (re-enter the admin key), with main's sentence as is", () => {
    const message =
      'The settings of tenant acme-prod were changed outside KeyDesk (…), so its admin key was not sent. If you made this change, re-enter the admin key…'
    const v = explainError({ code: 'SETTINGS_CHANGED', message, outcome: 'not-sent' })
    expect(v).toMatchObject({ text: message, action: { kind: 'tenant-settings', label: 'Open tenant settings' }, mayHaveApplied: false })
  })
  it('points at the fields only when the form shows them', () => {
    const e: AppError = { code: 'VALIDATION', message: 'MeshQu rejected the request (400).', fields: { 'key.name': 'taken' } }
    expect(describeError(e, { fieldsShown: true })).toMatch(/fields marked below/)
    expect(describeError(e)).not.toMatch(/marked|highlighted/)
    expect(explainError(e).action?.kind).toBe('fix-fields')
  })
  it("names the key and tenant in a revoke's own words", () => {
    const text = describeError(
      { code: 'NOT_FOUND', message: 'generic', status: 404 },
      { operation: 'revoke', tenantLabel: 'acme-prod', keyName: 'billing' }
    )
    expect(text).toMatch(/^MeshQu does not know billing in tenant acme-prod \(404\).*nothing was revoked/)
    expect(describeError({ code: 'FORBIDDEN', message: 'generic', status: 403 }, { operation: 'audit', tenantLabel: 'acme' })).toMatch(
      /lacks audit:read/
    )
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
  it('never shows a past event in the future, and never "60 seconds ago"', () => {
    // A creation time a few seconds ahead of this clock (server skew) is still "just now".
    expect(relativeTime(now + 5e3, now, { past: true })).toBe('just now')
    expect(relativeTime(now + 3 * 60e3, now, { past: true })).toBe('just now')
    expect(relativeTime(now - 59.6e3, now)).toBe('1 minute ago')
    expect(relativeTime(now - 59.6 * 60e3, now)).toBe('1 hour ago')
    expect(relativeTime(now - 120e3, now)).toBe('2 minutes ago')
    expect(relativeTime(now - 30 * 60e3, now)).toBe('30 minutes ago')
    // A future expiry keeps its future wording.
    expect(relativeTime(now + 20e3, now)).toBe('in a few seconds')
  })
  it('clock time on a 24-hour clock', () => {
    expect(clockTime(now)).toMatch(/^\d\d:\d\d$/)
  })
})
