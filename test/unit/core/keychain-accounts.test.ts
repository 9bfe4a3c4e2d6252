import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  KEYCHAIN_PROBE_ACCOUNT,
  LEGACY_ACCOUNTS,
  STORE_KEY_ACCOUNT,
  isKeydeskAccount,
  isTenantAccount,
  tenantAccount
} from '../../../src/main/core/tenants/keychain-accounts'
import { changedFields, decodeAdminKeyRecord, encodeAdminKeyRecord } from '../../../src/main/core/tenants/admin-key-record'
import { createAdminKeys } from '../../../src/main/core/tenants/admin-keys'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import type { TenantProfile } from '../../../src/shared/tenants'

const profile: TenantProfile = {
  id: randomUUID(),
  label: 'acme-prod',
  tenantId: '123e4567-e89b-42d3-a456-426614174000',
  baseUrl: 'https://api.meshqu.com',
  environment: 'production',
  color: '#d32f2f',
  adminKeyPreview: 'mqu_live_...x7Kf',
  createdAt: '2026-01-01T00:00:00.000Z',
  embedded: false
}
// Built at run time: no whole key-shaped text in the repo.
const ADMIN_KEY = `mqu_live_${'Zq81mB7v'.repeat(4)}x7Kf`

describe('keychain account names', () => {
  it("keep tenants' admin keys apart from KeyDesk's own items", () => {
    const own = [STORE_KEY_ACCOUNT, KEYCHAIN_PROBE_ACCOUNT]
    for (const a of own) expect([isKeydeskAccount(a), isTenantAccount(a)]).toEqual([true, false])
    expect(tenantAccount(profile.id)).toBe(`tenant:${profile.id}`)
    expect(isTenantAccount(tenantAccount(profile.id))).toBe(true)
    expect(isKeydeskAccount(tenantAccount(profile.id))).toBe(false)
  })

  it('name an account for UUID profile ids only, so no id can spell another item', () => {
    for (const id of [LEGACY_ACCOUNTS.storeKey, STORE_KEY_ACCOUNT, 'keydesk:x', `tenant:${profile.id}`, '', '../x']) {
      expect(() => tenantAccount(id)).toThrow(/UUID/)
    }
  })
})

describe("an admin key's record", () => {
  it('round-trips and says which bound fields a profile no longer agrees with', () => {
    const record = decodeAdminKeyRecord(encodeAdminKeyRecord(ADMIN_KEY, profile))
    expect(record).toMatchObject({ adminKey: ADMIN_KEY, baseUrl: profile.baseUrl, tenantId: profile.tenantId, environment: 'production' })
    expect(changedFields(record, profile)).toEqual([])
    // Moved to development, its level follows that environment's default (Open): both are changes.
    expect(changedFields(record, { ...profile, baseUrl: 'https://elsewhere.example', environment: 'development' })).toEqual([
      'baseUrl',
      'environment',
      'level'
    ])
    // The level is bound like the environment: lowering it in the profile alone is a change.
    expect(record).toMatchObject({ level: 'read-only' })
    expect(changedFields(record, { ...profile, level: 'open' })).toEqual(['level'])
    // A record written before levels existed binds its environment's default.
    const { level: _dropped, ...old } = record!
    expect(changedFields(old, profile)).toEqual([])
    expect(changedFields(old, { ...profile, level: 'protected' })).toEqual(['level'])
    // A bare key (the old format) or any other text binds nothing.
    expect(decodeAdminKeyRecord(ADMIN_KEY)).toBeNull()
    expect(changedFields(null, profile)).toEqual(['baseUrl', 'tenantId', 'environment', 'level'])
  })

  it('is refused with SETTINGS_CHANGED, naming the tenant and never the key, when profiles.json differs', async () => {
    const keychain = createMemorySecretStore()
    const adminKeys = createAdminKeys(keychain)
    await adminKeys.bind(profile, ADMIN_KEY)
    expect((await adminKeys.recordFor(profile))?.adminKey).toBe(ADMIN_KEY)
    const moved = { ...profile, baseUrl: 'https://elsewhere.example' }
    const err = (await adminKeys.recordFor(moved).then(
      () => null,
      (e: unknown) => e
    )) as { code: string; message: string; extra: { outcome: string } }
    expect(err).toMatchObject({ code: 'SETTINGS_CHANGED', extra: { outcome: 'not-sent' } })
    expect(err.message).toMatch(
      /acme-prod.*changed outside KeyDesk.*base URL is now https:\/\/elsewhere\.example, confirmed as https:\/\/api\.meshqu\.com/
    )
    expect(err.message).not.toContain(ADMIN_KEY)
    // A re-bind checks the settings as they were: one changed outside KeyDesk cannot be re-bound from.
    await expect(adminKeys.rebind(moved, { ...moved, environment: 'staging' })).rejects.toMatchObject({ code: 'SETTINGS_CHANGED' })
    expect(await adminKeys.rebind(profile, moved)).toBe(true)
    expect((await adminKeys.recordFor(moved))?.adminKey).toBe(ADMIN_KEY)
  })
})
