import { describe, expect, it } from 'vitest'
import {
  DEFAULT_POLICY,
  FleetPolicySchema,
  PolicyExportSchema,
  POLICY_CLOCK_GRACE_MS,
  keyPolicyBreaches,
  policyBreaches,
  policyChanges,
  policyLimits,
  type EnvironmentPolicy
} from '../../../src/shared/policy'
import { keyFindings, DEFAULT_RADAR_RULES } from '../../../src/shared/radar'
import { makeKey } from '../../fixtures/keys'

const NOW = Date.parse('2026-12-07T12:00:00Z')
const DAY = 86_400_000
const PROD = DEFAULT_POLICY.production
const iso = (ms: number) => new Date(ms).toISOString()
const subject = (over: Partial<Parameters<typeof policyBreaches>[0]> = {}) => ({
  scopes: ['decisions:read'],
  expiresAt: NOW + 30 * DAY,
  from: NOW,
  ownAdmin: false,
  ...over
})

describe('fleet policy: the rules', () => {
  it('defaults: production is strict (90 days, expiry required, admin scopes forbidden), the rest permissive', () => {
    expect(PROD).toEqual({ maxExpiryDays: 90, expiryRequired: true, forbiddenScopes: ['api-keys:admin', 'audit:admin'], allowedPresets: null })
    for (const env of ['staging', 'development', 'sandbox'] as const) {
      expect(policyBreaches(subject({ expiresAt: null, scopes: ['api-keys:admin'] }), DEFAULT_POLICY[env], env)).toEqual([])
    }
    expect(FleetPolicySchema.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY)
  })

  it('a key within policy breaks nothing; exactly the maximum is within it', () => {
    expect(policyBreaches(subject(), PROD, 'production')).toEqual([])
    expect(policyBreaches(subject({ expiresAt: NOW + 90 * DAY }), PROD, 'production')).toEqual([])
  })

  it('no expiry where one is required names expiry-required on the expiry field', () => {
    const [b, ...rest] = policyBreaches(subject({ expiresAt: null }), PROD, 'production')
    expect(rest).toEqual([])
    expect(b).toMatchObject({ rule: 'expiry-required', field: 'expires_at' })
    expect(b!.message).toBe('Production policy: a key must expire within 90 days.')
  })

  it('longer than the maximum (past the clock grace) breaks max-expiry', () => {
    const over = policyBreaches(subject({ expiresAt: NOW + 90 * DAY + POLICY_CLOCK_GRACE_MS + 1 }), PROD, 'production')
    expect(over.map((b) => b.rule)).toEqual(['max-expiry'])
    expect(over[0]!.message).toBe('Production policy: a key expires within 90 days at most.')
    expect(policyBreaches(subject({ expiresAt: NOW + 90 * DAY + POLICY_CLOCK_GRACE_MS }), PROD, 'production')).toEqual([])
    // A maximum without "required": a key that never expires is still longer than the maximum.
    const maxOnly: EnvironmentPolicy = { ...PROD, expiryRequired: false }
    expect(policyBreaches(subject({ expiresAt: null }), maxOnly, 'production').map((b) => b.rule)).toEqual(['max-expiry'])
  })

  it('forbidden scopes are named; KeyDesk’s own admin key is spared the scope rules', () => {
    const b = policyBreaches(subject({ scopes: ['audit:read', 'api-keys:admin', 'audit:admin'] }), PROD, 'production')
    expect(b.map((x) => [x.rule, x.field])).toEqual([['forbidden-scope', 'scopes']])
    expect(b[0]!.message).toBe('Production policy: api-keys:admin and audit:admin are forbidden.')
    expect(policyBreaches(subject({ scopes: ['api-keys:admin'], ownAdmin: true }), PROD, 'production')).toEqual([])
  })

  it('allowed presets: the scopes must be exactly one allowed preset’s', () => {
    const p: EnvironmentPolicy = { ...PROD, allowedPresets: ['evaluate', 'audit'] }
    expect(policyBreaches(subject({ scopes: ['decisions:evaluate'] }), p, 'production')).toEqual([])
    expect(policyBreaches(subject({ scopes: ['audit:read'] }), p, 'production')).toEqual([])
    const b = policyBreaches(subject({ scopes: ['decisions:evaluate', 'decisions:write'] }), p, 'production')
    expect(b.map((x) => x.rule)).toEqual(['preset'])
    expect(b[0]!.message).toBe('Production policy: only the presets Evaluate only and Audit reader are allowed.')
  })

  it('several rules at once, in POLICY_RULES order', () => {
    const b = policyBreaches(subject({ expiresAt: null, scopes: ['api-keys:admin'] }), { ...PROD, allowedPresets: ['evaluate'] }, 'production')
    expect(b.map((x) => x.rule)).toEqual(['expiry-required', 'forbidden-scope', 'preset'])
  })

  it('an existing key: only a live key without a running waiver breaks the policy; lifetime counts from created_at', () => {
    const ctx = { now: NOW, policy: PROD, environment: 'production' as const, ownAdminPreview: 'mqu_live_...0own' }
    const long = makeKey('k1', { created_at: iso(NOW - 10 * DAY), expires_at: iso(NOW + 200 * DAY) })
    expect(keyPolicyBreaches(long, ctx).map((b) => b.rule)).toEqual(['max-expiry'])
    expect(keyPolicyBreaches(long, { ...ctx, waivedUntil: NOW + DAY })).toEqual([])
    // The waiver lapsed: a finding again.
    expect(keyPolicyBreaches(long, { ...ctx, waivedUntil: NOW - 1 }).map((b) => b.rule)).toEqual(['max-expiry'])
    expect(keyPolicyBreaches({ ...long, revoked_at: iso(NOW - DAY), is_active: false }, ctx)).toEqual([])
    expect(keyPolicyBreaches(makeKey('k2', { expires_at: iso(NOW - 1) }), ctx)).toEqual([])
    expect(
      keyPolicyBreaches(
        makeKey('k3', { key_preview: 'mqu_live_...0own', scopes: ['api-keys:admin'], created_at: iso(NOW - DAY), expires_at: iso(NOW + DAY) }),
        ctx
      )
    ).toEqual([])
  })

  it('the radar finding "outside-policy" follows the same rules', () => {
    const key = makeKey('k1', { expires_at: null })
    const base = { now: NOW, rules: DEFAULT_RADAR_RULES.production, ownAdminPreview: null }
    expect(keyFindings(key, base)).not.toContain('outside-policy')
    expect(keyFindings(key, { ...base, policy: { rules: PROD, environment: 'production' } })).toContain('outside-policy')
    expect(keyFindings(key, { ...base, policy: { rules: PROD, environment: 'production', waivedUntil: NOW + 1 } })).not.toContain('outside-policy')
  })

  it('limits in one line for the forms, or null when there are none', () => {
    expect(policyLimits(PROD, 'production')).toBe('Production policy: expires within 90 days; api-keys:admin and audit:admin forbidden.')
    expect(policyLimits(DEFAULT_POLICY.staging, 'staging')).toBeNull()
    expect(policyLimits({ ...DEFAULT_POLICY.staging, expiryRequired: true, allowedPresets: ['monitor'] }, 'staging')).toBe(
      'Staging policy: must expire; presets only: Read-only monitoring.'
    )
  })

  it('changes between two policies, rule by rule, in words; forbidden scopes compared as sets', () => {
    expect(policyChanges(DEFAULT_POLICY, DEFAULT_POLICY)).toEqual([])
    const next = { ...DEFAULT_POLICY, production: { ...PROD, maxExpiryDays: 30, forbiddenScopes: ['audit:admin', 'api-keys:admin'] as const } }
    expect(policyChanges(DEFAULT_POLICY, FleetPolicySchema.parse(next))).toEqual([
      { environment: 'production', rule: 'maxExpiryDays', before: '90 days', after: '30 days' }
    ])
  })

  it('an export file is checked strictly: its format, version and every rule', () => {
    const ok = { format: 'keydesk-policy', version: 1, policy: DEFAULT_POLICY }
    expect(PolicyExportSchema.safeParse(ok).success).toBe(true)
    expect(PolicyExportSchema.safeParse({ ...ok, format: 'other' }).success).toBe(false)
    expect(PolicyExportSchema.safeParse({ ...ok, version: 2 }).success).toBe(false)
    const bad = { ...ok, policy: { ...DEFAULT_POLICY, staging: { ...DEFAULT_POLICY.staging, maxExpiryDays: 0 } } }
    const r = PolicyExportSchema.safeParse(bad)
    expect(r.success).toBe(false)
    expect(r.error!.issues[0]!.message).toBe('Type at least 1 day')
    expect(PolicyExportSchema.safeParse({ ...ok, policy: { ...DEFAULT_POLICY, production: { ...PROD, forbiddenScopes: ['nope'] } } }).success).toBe(
      false
    )
  })
})
