import { describe, expect, it } from 'vitest'
import {
  expiryFrom,
  expiryPresets,
  matchesPreset,
  minExpiryDate,
  orderedScopes,
  privilegedScopes,
  rotatedName,
  scopePresets
} from '../../../src/renderer/src/features/key-forms/scope-presets'
import { keyFieldOf, KeyFormSchema } from '../../../src/renderer/src/features/key-forms/key-form'
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

/** Field → first message, as the form shows them (zodResolver puts each issue on its path). */
function formErrors(values: unknown): Record<string, string> {
  const r = KeyFormSchema.safeParse(values)
  if (r.success) return {}
  const out: Record<string, string> = {}
  for (const i of r.error.issues) out[i.path.map(String).join('.')] ??= i.message
  return out
}
const form = (name: string, scopes: string[], preset: string, date = '') => ({ name, scopes, expiry: { preset, date } })

describe('the key form schema (shared create-key rules)', () => {
  it('accepts a valid key and gives the body MeshQu takes', () => {
    const r = KeyFormSchema.parse(form(' svc ', ['audit:read'], 'never'))
    expect(r).toEqual({ name: 'svc', scopes: ['audit:read'], expiry: null })
    expect(formErrors(form('x'.repeat(100), ['audit:read'], '30d'))).toEqual({})
    expect(formErrors(form(`  ${'x'.repeat(100)}  `, ['audit:read'], '1y'))).toEqual({})
    expect(formErrors(form('svc', ['audit:read'], 'date', '2999-12-24'))).toEqual({})
  })
  it('requires a name of at most 100 characters after trimming', () => {
    expect(formErrors(form('   ', ['audit:read'], 'never')).name).toMatch(/required/i)
    expect(formErrors(form('x'.repeat(101), ['audit:read'], 'never')).name).toMatch(/100/)
  })
  it('requires at least one known scope, each once', () => {
    expect(formErrors(form('svc', [], 'never')).scopes).toMatch(/at least one/i)
    expect(formErrors(form('svc', ['audit:read', 'audit:read'], 'never')).scopes).toBeDefined()
    expect(Object.keys(formErrors(form('svc', ['audit:everything'], 'never')))).toEqual(['scopes.0'])
  })
  it('requires a future expiry date when "On a date" is chosen', () => {
    expect(formErrors(form('svc', ['audit:read'], 'date', '2020-05-01'))['expiry.date']).toMatch(/future/)
    expect(formErrors(form('svc', ['audit:read'], 'date', ''))['expiry.date']).toMatch(/date/)
    expect(formErrors(form('svc', ['audit:read'], 'date', '2026-02-30'))['expiry.date']).toBeDefined()
  })
  it('reports every field at once', () => {
    expect(Object.keys(formErrors(form('', [], 'date', '2020-01-01'))).sort()).toEqual(['expiry.date', 'name', 'scopes'])
  })
})

describe('reply field errors and rotation names', () => {
  it('maps server field paths onto the form', () => {
    expect(keyFieldOf('key.name')).toBe('name')
    expect(keyFieldOf('name')).toBe('name')
    expect(keyFieldOf('key.scopes.0')).toBe('scopes')
    expect(keyFieldOf('expires_at')).toBe('expiry')
    expect(keyFieldOf('other')).toBeNull()
  })
  it('suggests name-rotated-YYYYMMDD within the length limit', () => {
    expect(rotatedName('billing', NOW)).toBe('billing-rotated-20260601')
    expect(rotatedName('billing-rotated-20250101', NOW)).toBe('billing-rotated-20260601')
    const long = rotatedName('y'.repeat(100), NOW)
    expect(long).toHaveLength(100)
    expect(long.endsWith('-rotated-20260601')).toBe(true)
  })
})

describe('rotatedName against existing names', () => {
  it('skips names already taken', () => {
    const taken = new Set(['billing-rotated-20260601', 'billing-rotated-20260601-2'])
    expect(rotatedName('billing-rotated-20260601', NOW, taken)).toBe('billing-rotated-20260601-3')
  })
})
