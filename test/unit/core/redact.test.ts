import { describe, expect, it } from 'vitest'
import { maskKey, redact } from '../../../src/main/core/redact'
import { createLogger } from '../../../src/main/core/log'

const fakeKey = (prefix: string) => prefix + 'Ab3'.repeat(11) + 'x7Kf'

describe('redact', () => {
  it('masks live, test and mqk keys to prefix...last4', () => {
    expect(maskKey(fakeKey('mqu_live_'))).toBe('mqu_live_...x7Kf')
    expect(redact(`key ${fakeKey('mqu_test_')} failed`)).toBe('key mqu_test_...x7Kf failed')
    expect(redact(`k=${fakeKey('mqk_')}`)).toBe('k=mqk_...x7Kf')
  })
  it('masks bearer tokens of any shape', () => {
    expect(redact('Authorization: Bearer abcdefghijklmnop1234')).toBe('Authorization: Bearer ...1234')
  })
  it('leaves previews and ordinary text alone', () => {
    expect(redact('mqu_live_...x7Kf and tenant acme-prod')).toBe('mqu_live_...x7Kf and tenant acme-prod')
  })
  it('the logger writes only redacted lines', () => {
    const lines: string[] = []
    const log = createLogger((l) => lines.push(l))
    const key = fakeKey('mqu_live_')
    log.error(`failed with ${key}`, { adminKey: key })
    expect(lines).toHaveLength(1)
    expect(lines[0]).not.toContain(key)
    expect(lines[0]).toContain('mqu_live_...x7Kf')
  })
})

describe('redact inside JSON', () => {
  it('keeps the closing quote out of a masked bearer token', () => {
    expect(redact('{"authorization":"Bearer abcdefghijklmnop1w2x"}')).toBe('{"authorization":"Bearer ...1w2x"}')
  })
})
