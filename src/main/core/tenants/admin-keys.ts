import type { TenantProfile } from '../../../shared/tenants'
import { CoreError } from '../errors'
import {
  bindingOf,
  changedFields,
  decodeAdminKeyRecord,
  encodeAdminKeyRecord,
  type AdminKeyRecord,
  type Binding,
  type BoundField
} from './admin-key-record'
import { tenantAccount } from './keychain-accounts'
import type { SecretStore } from './secret-store'

type Profile = Pick<TenantProfile, 'id' | 'label' | 'baseUrl' | 'tenantId' | 'environment' | 'level'>

const FIELD_WORDS: Record<BoundField, string> = {
  baseUrl: 'base URL',
  tenantId: 'tenant id',
  environment: 'environment',
  level: 'protection level'
}

/**
 * The refusal when profiles.json no longer says what the admin key was confirmed for: names the
 * tenant and what differs (never the key), and the way on. `outcome: 'not-sent'`: nothing left KeyDesk.
 */
export function settingsChangedError(profile: Profile, record: AdminKeyRecord | null, fields: BoundField[]): CoreError {
  const what = record
    ? fields.map((f) => `${FIELD_WORDS[f]} is now ${bindingOf(profile)[f]}, confirmed as ${bindingOf(record)[f]}`).join('; ')
    : 'KeyDesk cannot tell which settings its admin key was confirmed for'
  return new CoreError(
    'SETTINGS_CHANGED',
    `The settings of tenant ${profile.label} were changed outside KeyDesk (${what}), so its admin key was not sent. ` +
      `If you made this change, re-enter the admin key in the tenant's settings to confirm the new settings; if not, remove the tenant and add it again.`,
    { outcome: 'not-sent' }
  )
}

/** Throws SETTINGS_CHANGED unless the profile still says what the record was confirmed for. */
export function assertBound(profile: Profile, record: AdminKeyRecord | null): asserts record is AdminKeyRecord {
  const changed = changedFields(record, profile)
  if (changed.length) throw settingsChangedError(profile, record, changed)
}

/**
 * Tenants' admin keys in the keychain, each kept with the profile fields it was confirmed for
 * (tenants/admin-key-record.ts). The only module that reads or writes a tenant's keychain item.
 */
export function createAdminKeys(secrets: Pick<SecretStore, 'get' | 'set' | 'delete'>) {
  const bind = (profile: Profile, adminKey: string) => secrets.set(tenantAccount(profile.id), encodeAdminKeyRecord(adminKey, profile))

  /** The checked record, or null when the keychain holds no key for this tenant. */
  async function recordFor(profile: Profile): Promise<AdminKeyRecord | null> {
    const stored = await secrets.get(tenantAccount(profile.id))
    if (stored === null) return null
    const record = decodeAdminKeyRecord(stored)
    assertBound(profile, record)
    return record
  }

  return {
    recordFor,
    /**
     * The settings the key was confirmed for, unchecked and without the key: for safeguards that
     * must not be switched off by editing profiles.json alone (removing a production tenant).
     */
    async confirmed(profileId: string): Promise<Required<Binding> | null> {
      const stored = await secrets.get(tenantAccount(profileId))
      const record = stored === null ? null : decodeAdminKeyRecord(stored)
      return record && bindingOf(record)
    },
    /** A key the operator just gave (add, replace, re-enter), bound to the settings it was given for. */
    bind,
    /**
     * An edit made through KeyDesk: the stored key, checked against the settings as they were,
     * is bound to the new ones. False when there is no key to re-bind.
     */
    async rebind(before: Profile, after: Profile): Promise<boolean> {
      const record = await recordFor(before)
      if (!record) return false
      if (changedFields(record, after).length) await bind(after, record.adminKey)
      return true
    },
    remove: (profileId: string) => secrets.delete(tenantAccount(profileId))
  }
}

export type AdminKeys = ReturnType<typeof createAdminKeys>
