import { afterEach, describe, expect, it } from 'vitest'
import { holdSecret, keyPrefix, maskKey, redact } from '../../../src/main/core/redact'
import { CoreError } from '../../../src/main/core/errors'
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

describe('key previews never show more than the prefix and the last 4', () => {
  it.each([
    ['mqk_abcdefgh_ijklmnopqrstuvwx1234', 'mqk_...1234'], // an mqk_ body with an underscore kept most of itself before
    ['mqk_secretsecret_more_x7Kf', 'mqk_...x7Kf'],
    ['mqu_live_abcdefghijklmnopqrstu_x7Kf', 'mqu_live_...x7Kf'],
    ['mqu_staging_abcdefghijklmnop', 'mqu_...mnop'], // an environment we do not know is body, not prefix
    ['MQU_TEST_abcdefghijklmnop', 'MQU_TEST_...mnop'],
    ['s3cr3t-admin-token-9f8e', '...9f8e']
  ])('%s → %s', (key, preview) => {
    expect(maskKey(key)).toBe(preview)
    const shown = maskKey(key).replace('...', '')
    expect(shown.length).toBeLessThanOrEqual(keyPrefix(key).length + 4)
  })
})

describe('exact secrets KeyDesk holds', () => {
  // Shapes no pattern would recognise: an admin key may be any non-space characters.
  const secret = 'Zq9!s3cr3t"val/ue+%&x7Kf'
  const forms = {
    raw: secret,
    url: encodeURIComponent(secret),
    urlLowerHex: encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    json: JSON.stringify({ k: secret }),
    jsonTwice: JSON.stringify(JSON.stringify({ k: secret }))
  }
  const release: (() => void)[] = []
  afterEach(() => release.splice(0).forEach((r) => r()))

  it.each(Object.entries(forms))('masks the %s form while held, and only while held', (_form, text) => {
    expect(redact(`x ${text} y`)).toContain(text) // not a key shape: untouched until held
    release.push(holdSecret(secret))
    const out = redact(`x ${text} y`)
    expect(out).not.toContain('s3cr3t')
    expect(out).toContain('...x7Kf')
    release.splice(0).forEach((r) => r())
    expect(redact(`x ${text} y`)).toContain('s3cr3t')
  })

  it('matches a key prefix in any case', () => {
    const key = 'mqk_abc_' + 'Q'.repeat(30) + 'r9Zz'
    release.push(holdSecret(key))
    expect(redact(`k=MQK_abc_${'Q'.repeat(30)}r9Zz`)).toBe('k=mqk_...r9Zz')
  })

  it('masks inside error fields and details, not only the message', () => {
    release.push(holdSecret(secret))
    const app = new CoreError('VALIDATION', `bad ${secret}`, {
      fields: { authorization: `Bearer-ish ${encodeURIComponent(secret)}`, [secret]: 'x' }
    }).toAppError()
    expect(JSON.stringify(app)).not.toContain('s3cr3t')
  })

  it('stays held while a second holder keeps it', () => {
    const a = holdSecret(secret)
    const b = holdSecret(secret)
    a()
    expect(redact(secret)).not.toContain('s3cr3t')
    b()
    expect(redact(secret)).toContain('s3cr3t')
  })

  it('the logger masks a held secret inside JSON data', () => {
    release.push(holdSecret(secret))
    const lines: string[] = []
    createLogger((l) => lines.push(l)).warn('upstream said', { body: { echoed: secret } })
    expect(lines[0]).not.toContain('s3cr3t')
  })
})
