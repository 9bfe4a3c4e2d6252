import { describe, expect, it } from 'vitest'
import { reportCsv, reportJson, type ReportRow } from '../../../src/main/core/radar/report'
import { makeKey } from '../../fixtures/keys'

const NOW = Date.parse('2026-11-23T12:00:00Z')
const row = (over: Partial<ReportRow> = {}): ReportRow => ({
  tenant: 'acme-prod',
  tenantId: '0b7e4b52-3c1f-4a7e-8d1e-6a1d2f3c4b5a',
  environment: 'production',
  key: makeKey('k1', { scopes: ['api-keys:admin', 'audit:read'] }),
  findings: ['no-expiry', 'privileged', 'outside-policy'],
  policy: ['expiry-required', 'forbidden-scope'],
  policyWaivedUntil: null,
  reason: null,
  syncedAt: NOW - 60_000,
  ...over
})

describe('credential report', () => {
  it('CSV: one row per key with tenant, environment, status, scopes, dates, findings and reason', () => {
    const csv = reportCsv(
      [
        row(),
        row({ key: makeKey('k2', { revoked_at: '2026-02-01T00:00:00.000Z', is_active: false }), findings: [], policy: [], reason: 'left the team' })
      ],
      NOW
    )
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'tenant,tenant_id,environment,id,name,key_preview,status,scopes,created_at,expires_at,last_used_at,findings,policy,policy_waived_until,reason,synced_at'
    )
    expect(lines[1]).toBe(
      'acme-prod,0b7e4b52-3c1f-4a7e-8d1e-6a1d2f3c4b5a,production,k1,key-k1,mqu_test_...00k1,active,api-keys:admin audit:read,2026-01-01T00:00:00.000Z,,,no-expiry privileged outside-policy,expiry-required forbidden-scope,,,2026-11-23T11:59:00.000Z'
    )
    expect(lines[2]).toContain(',revoked,')
    expect(lines[2]).toContain(',left the team,')
  })

  it('CSV cells that a spreadsheet would run are kept as text; quotes and commas are escaped', () => {
    const csv = reportCsv([row({ tenant: '=cmd|calc', key: makeKey('k3', { name: '+SUM(A1)' }), reason: '@evil, "quoted"' })], NOW)
    const line = csv.split('\r\n')[1]!
    expect(line.startsWith(`"'=cmd|calc",`)).toBe(true)
    expect(line).toContain(`,"'+SUM(A1)",`)
    expect(line).toContain(`,"'@evil, ""quoted""",`)
  })

  it('JSON keeps exact values, arrays as arrays, and never a plaintext field', () => {
    const parsed = JSON.parse(reportJson([row({ reason: 'rotated after leak' })], NOW))
    expect(parsed).toMatchObject({ report: 'credential-report', count: 1, exportedAt: '2026-11-23T12:00:00.000Z' })
    expect(parsed.keys[0]).toMatchObject({
      tenant: 'acme-prod',
      environment: 'production',
      status: 'active',
      scopes: ['api-keys:admin', 'audit:read'],
      findings: ['no-expiry', 'privileged', 'outside-policy'],
      policy: ['expiry-required', 'forbidden-scope'],
      policy_waived_until: null,
      reason: 'rotated after leak'
    })
    expect(JSON.stringify(parsed)).not.toMatch(/plaintext|hash/)
  })
})
