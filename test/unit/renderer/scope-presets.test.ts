import { describe, expect, it } from 'vitest'
import {
  expiryFrom,
  expiryPresets,
  fieldErrorsFromReply,
  matchesPreset,
  minExpiryDate,
  orderedScopes,
  privilegedScopes,
  rotatedName,
  scopePresets,
  validateCreate
} from '../../../src/renderer/src/dialogs/scope-presets'
import { CreateKeyBodySchema } from '../../../src/shared/meshqu'
import { SCOPE_INFO, SCOPES } from '../../../src/shared/scopes'

const NOW = Date.parse('2026-06-01T12:00:00Z')

describe('scope presets', () => {
  it('are the five documented presets, with known, unique, unprivileged scopes', () => {
    expect(scopePresets.map((p) => [p.label, p.scopes])).toEqual([
      ['Evaluate only', ['decisions:evaluate']],
      ['Record decisions', ['decisions:evaluate', 'decisions:write']],
      ['Read-only monitoring', ['policies:read', 'decisions:read', 'alerts:read', 'audit:read']],
      ['Audit reader', ['audit:read']],
      ['Policy author', ['policies:read', 'policies:write']]
    ])
    expect(new Set(scopePresets.map((p) => p.id)).size).toBe(scopePresets.length)
    for (const p of scopePresets) {
      expect(p.description.length).toBeGreaterThan(0)
      expect(new Set(p.scopes).size).toBe(p.scopes.length)
      for (const s of p.scopes) {
        expect(SCOPES).toContain(s)
        expect(SCOPE_INFO[s].privileged).toBe(false)
      }
      expect(CreateKeyBodySchema.safeParse({ name: 'x', scopes: p.scopes }).success).toBe(true)
    }
  })

  it('matches presets regardless of order and flags privileged scopes', () => {
    const monitor = scopePresets.find((p) => p.id === 'monitor')!
    expect(matchesPreset(monitor, ['audit:read', 'alerts:read', 'decisions:read', 'policies:read'])).toBe(true)
    expect(matchesPreset(monitor, ['audit:read'])).toBe(false)
    expect(privilegedScopes(['audit:read', 'audit:admin', 'api-keys:admin'])).toEqual(['audit:admin', 'api-keys:admin'])
    expect(privilegedScopes(['decisions:evaluate'])).toEqual([])
    expect(orderedScopes(['audit:read', 'policies:read', 'audit:read'])).toEqual(['policies:read', 'audit:read'])
  })
})

describe('expiryFrom', () => {
  it('offers 7, 30, 90 days, a year, a date and never', () => {
    expect(expiryPresets.map((p) => p.id)).toEqual(['7d', '30d', '90d', '1y', 'date', 'never'])
  })
  it('turns presets into ISO times from now', () => {
    expect(expiryFrom('7d', NOW)).toBe('2026-06-08T12:00:00.000Z')
    expect(expiryFrom('30d', NOW)).toBe('2026-07-01T12:00:00.000Z')
    expect(expiryFrom('90d', NOW)).toBe('2026-08-30T12:00:00.000Z')
    expect(expiryFrom('1y', NOW)).toBe('2027-06-01T12:00:00.000Z')
    expect(expiryFrom('never', NOW)).toBeNull()
  })
  it('reads a chosen date as the end of that day (UTC)', () => {
    expect(expiryFrom('date', NOW, '2026-12-24')).toBe('2026-12-24T23:59:59.000Z')
    expect(expiryFrom('date', NOW)).toBeUndefined()
    expect(expiryFrom('date', NOW, '')).toBeUndefined()
    expect(expiryFrom('date', NOW, 'garbage')).toBeUndefined()
    expect(expiryFrom('date', NOW, '2026-02-30')).toBeUndefined()
    expect(minExpiryDate(NOW)).toBe('2026-06-01')
  })
  it('produces times MeshQu accepts', () => {
    for (const p of expiryPresets) {
      const at = expiryFrom(p.id, NOW, '2026-12-24')
      expect(CreateKeyBodySchema.safeParse({ name: 'x', scopes: ['audit:read'], expires_at: at }).success).toBe(true)
    }
  })
})

describe('validateCreate', () => {
  it('accepts a valid key', () => {
    expect(validateCreate(' svc ', ['audit:read'], null, NOW)).toEqual({})
    expect(validateCreate('svc', ['audit:read'], expiryFrom('30d', NOW), NOW)).toEqual({})
    expect(validateCreate('x'.repeat(100), ['audit:read'], null, NOW)).toEqual({})
    expect(validateCreate(`  ${'x'.repeat(100)}  `, ['audit:read'], null, NOW)).toEqual({})
  })
  it('requires a name of at most 100 characters after trimming', () => {
    expect(validateCreate('   ', ['audit:read'], null, NOW).name).toMatch(/required/i)
    expect(validateCreate('x'.repeat(101), ['audit:read'], null, NOW).name).toMatch(/100/)
  })
  it('requires at least one scope, each once', () => {
    expect(validateCreate('svc', [], null, NOW).scopes).toMatch(/at least one/)
    expect(validateCreate('svc', ['audit:read', 'audit:read'], null, NOW).scopes).toBeDefined()
    expect(validateCreate('svc', ['audit:everything'], null, NOW).scopes).toBeDefined()
  })
  it('requires a future expiry when there is one', () => {
    expect(validateCreate('svc', ['audit:read'], '2026-05-01T00:00:00Z', NOW).expires_at).toMatch(/future/)
    expect(validateCreate('svc', ['audit:read'], new Date(NOW).toISOString(), NOW).expires_at).toMatch(/future/)
    expect(validateCreate('svc', ['audit:read'], undefined, NOW).expires_at).toMatch(/date/)
    expect(validateCreate('svc', ['audit:read'], 'soon', NOW).expires_at).toBeDefined()
  })
  it('reports every field at once', () => {
    expect(Object.keys(validateCreate('', [], '2020-01-01T00:00:00Z', NOW)).sort()).toEqual(['expires_at', 'name', 'scopes'])
  })
  it('agrees with the contract schema', () => {
    const cases: [string, string[], string | null][] = [
      ['ok', ['audit:read'], null],
      ['', ['audit:read'], null],
      ['x'.repeat(101), ['audit:read'], null],
      ['ok', [], null]
    ]
    for (const [name, scopes, at] of cases) {
      const ours = Object.keys(validateCreate(name, scopes, at, NOW)).length === 0
      expect(CreateKeyBodySchema.safeParse({ name, scopes, expires_at: at }).success).toBe(ours)
    }
  })
})

describe('reply field errors and rotation names', () => {
  it('maps server field paths onto the form', () => {
    expect(fieldErrorsFromReply({ 'key.name': 'bad', expires_at: 'past', 'key.scopes.0': 'unknown', other: 'x' })).toEqual({
      name: 'bad',
      expires_at: 'past',
      scopes: 'unknown'
    })
    expect(fieldErrorsFromReply({ name: 'taken' })).toEqual({ name: 'taken' })
    expect(fieldErrorsFromReply(undefined)).toEqual({})
  })
  it('suggests name-rotated-YYYYMMDD within the length limit', () => {
    expect(rotatedName('billing', NOW)).toBe('billing-rotated-20260601')
    expect(rotatedName('billing-rotated-20250101', NOW)).toBe('billing-rotated-20260601')
    const long = rotatedName('y'.repeat(100), NOW)
    expect(long).toHaveLength(100)
    expect(long.endsWith('-rotated-20260601')).toBe(true)
  })
})
