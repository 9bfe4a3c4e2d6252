import { describe, expect, it } from 'vitest'
import { SandboxError } from '../../../src/sandbox/errors'
import { parseAuditQuery, parseCreateKeyBody, parseKeyListQuery } from '../../../src/sandbox/validation'

const NOW = Date.parse('2030-06-01T00:00:00Z')
function fieldsOf(fn: () => unknown): Record<string, string> {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(SandboxError)
    const e = err as SandboxError
    expect(e.code).toBe('VALIDATION_ERROR')
    expect(e.status).toBe(400)
    return (e.details as { fields: Record<string, string> }).fields
  }
  throw new Error('expected a validation error')
}

describe('create-key body', () => {
  it('accepts a valid body, trims the name, drops unknown fields', () => {
    const body = parseCreateKeyBody({ name: '  svc  ', scopes: ['alerts:read'], expires_at: '2031-01-01T00:00:00Z', extra: 1 }, NOW)
    expect(body).toEqual({ name: 'svc', scopes: ['alerts:read'], expires_at: '2031-01-01T00:00:00Z' })
    expect(parseCreateKeyBody({ name: 'x', scopes: ['audit:read'], expires_at: null }, NOW).expires_at).toBeNull()
    expect(parseCreateKeyBody({ name: 'n'.repeat(100), scopes: ['audit:read'] }, NOW).name).toHaveLength(100)
  })

  it('names each bad field', () => {
    expect(Object.keys(fieldsOf(() => parseCreateKeyBody({ name: ' ', scopes: ['alerts:read'] }, NOW)))).toEqual(['name'])
    expect(fieldsOf(() => parseCreateKeyBody({ scopes: ['alerts:read'] }, NOW)).name).toMatch(/required/)
    expect(Object.keys(fieldsOf(() => parseCreateKeyBody({ name: 'n'.repeat(101), scopes: ['alerts:read'] }, NOW)))).toEqual(['name'])
    expect(fieldsOf(() => parseCreateKeyBody({ name: 'n', scopes: [] }, NOW)).scopes).toBeTruthy()
    expect(fieldsOf(() => parseCreateKeyBody({ name: 'n', scopes: ['alerts:read', 'root'] }, NOW)).scopes).toContain('"root"')
    expect(fieldsOf(() => parseCreateKeyBody({ name: 'n', scopes: ['alerts:read', 'alerts:read'] }, NOW)).scopes).toMatch(/repeat/)
    expect(fieldsOf(() => parseCreateKeyBody({ name: 'n', scopes: ['alerts:read'], expires_at: '2030-05-31T23:59:59Z' }, NOW)).expires_at).toMatch(
      /future/
    )
    expect(fieldsOf(() => parseCreateKeyBody({ name: 'n', scopes: ['alerts:read'], expires_at: '2030-06-01T00:00:00Z' }, NOW)).expires_at).toMatch(
      /future/
    )
    expect(fieldsOf(() => parseCreateKeyBody({ name: 'n', scopes: ['alerts:read'], expires_at: 'soon' }, NOW)).expires_at).toMatch(/ISO 8601/)
    expect(
      Object.keys(fieldsOf(() => parseCreateKeyBody({ name: '', scopes: 'alerts:read', expires_at: '2001-01-01T00:00:00Z' }, NOW))).sort()
    ).toEqual(['expires_at', 'name', 'scopes'])
    expect(fieldsOf(() => parseCreateKeyBody(['x'], NOW))).toEqual({ body: expect.any(String) })
    expect(fieldsOf(() => parseCreateKeyBody(undefined, NOW))).toEqual({ body: expect.any(String) })
  })
})

describe('list queries', () => {
  it('defaults and bounds the key list query', () => {
    expect(parseKeyListQuery({})).toEqual({ limit: 100, offset: 0, status: 'all' })
    expect(parseKeyListQuery({ limit: '500', offset: '20', status: 'revoked' })).toEqual({ limit: 500, offset: 20, status: 'revoked' })
    expect(Object.keys(fieldsOf(() => parseKeyListQuery({ limit: '0' })))).toEqual(['limit'])
    expect(Object.keys(fieldsOf(() => parseKeyListQuery({ limit: '501' })))).toEqual(['limit'])
    expect(Object.keys(fieldsOf(() => parseKeyListQuery({ limit: '1.5', offset: 'x', status: 'gone' }))).sort()).toEqual([
      'limit',
      'offset',
      'status'
    ])
  })

  it('parses the audit query', () => {
    expect(parseAuditQuery({})).toEqual({ limit: 100, offset: 0, fromDateMs: null, action: null })
    expect(parseAuditQuery({ from_date: '2030-01-01', action: 'auth.denied', limit: '5' })).toEqual({
      limit: 5,
      offset: 0,
      fromDateMs: Date.parse('2030-01-01'),
      action: 'auth.denied'
    })
    expect(Object.keys(fieldsOf(() => parseAuditQuery({ from_date: 'last week' })))).toEqual(['from_date'])
  })
})
