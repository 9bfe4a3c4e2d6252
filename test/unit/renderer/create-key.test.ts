import { describe, expect, it } from 'vitest'
import { expiryFrom, formFieldErrors, SCOPE_PRESETS, suggestedRotationName, validateCreate } from '../../../src/renderer/src/lib/create-key'
import { SCOPES } from '../../../src/shared/scopes'

const NOW = Date.parse('2026-06-01T12:00:00Z')

describe('create-key helpers', () => {
  it('presets use only known scopes, none of them privileged', () => {
    for (const p of SCOPE_PRESETS) {
      expect(p.scopes.length).toBeGreaterThan(0)
      for (const s of p.scopes) expect(SCOPES).toContain(s)
      expect(p.scopes).not.toContain('api-keys:admin')
    }
    expect(SCOPE_PRESETS.find((p) => p.label === 'Evaluate only')!.scopes).toEqual(['decisions:evaluate'])
  })
  it('turns expiry presets into times', () => {
    expect(expiryFrom('never', NOW)).toBeNull()
    expect(expiryFrom('30d', NOW)).toBe('2026-07-01T12:00:00.000Z')
    expect(expiryFrom('1y', NOW)).toBe('2027-06-01T12:00:00.000Z')
    expect(expiryFrom('date', NOW, '2026-12-24')).toBe('2026-12-24T23:59:59.000Z')
    expect(expiryFrom('date', NOW)).toBeUndefined()
    expect(expiryFrom('date', NOW, 'garbage')).toBeUndefined()
  })
  it('validates like MeshQu', () => {
    expect(validateCreate('  ', [], undefined, NOW)).toEqual({
      name: expect.stringMatching(/name/), scopes: expect.any(String), expires_at: expect.any(String)
    })
    expect(validateCreate('x'.repeat(101), ['audit:read'], null, NOW).name).toMatch(/100/)
    expect(validateCreate('ok', ['audit:read'], '2026-05-01T00:00:00Z', NOW).expires_at).toMatch(/future/)
    expect(validateCreate(' svc ', ['audit:read'], null, NOW)).toEqual({})
  })
  it('maps server field paths and suggests rotation names', () => {
    expect(formFieldErrors({ 'key.name': 'bad', expires_at: 'past', 'key.scopes.0': 'unknown' })).toEqual({ name: 'bad', expires_at: 'past', scopes: 'unknown' })
    expect(suggestedRotationName('billing', NOW)).toBe('billing-rotated-20260601')
    expect(suggestedRotationName('billing-rotated-20250101', NOW)).toBe('billing-rotated-20260601')
  })
})
