import { ProfileIdSchema } from '../../../shared/tenants'

/**
 * Every keychain account name KeyDesk uses, in one place. Tenants' admin keys and KeyDesk's own
 * items live in separate namespaces, so no profile id (profiles.json is a file any program of the
 * user can edit) can name KeyDesk's own items: `tenant:<profile uuid>` and `keydesk:<name>`.
 */
const KEYDESK = 'keydesk:'
const TENANT = 'tenant:'

/** The fleet store's data key (store/data-key.ts). */
export const STORE_KEY_ACCOUNT = `${KEYDESK}store-data-key`
/** The fleet store's anchor: its identity, generation and journal head as last written (store/trust.ts). */
export const STORE_ANCHOR_ACCOUNT = `${KEYDESK}store-anchor`
/** The key of leak triage's keyed fingerprints (HMAC-SHA-256) of the plaintexts KeyDesk made (triage/fingerprint-key.ts). */
export const FINGERPRINT_KEY_ACCOUNT = `${KEYDESK}leak-fingerprint-key`
/** The account the availability probe reads (and, when empty, writes a marker to). */
export const KEYCHAIN_PROBE_ACCOUNT = `${KEYDESK}keychain-probe`

/** The account holding a tenant's admin key record; only a UUID profile id has one. */
export function tenantAccount(profileId: string): string {
  if (!ProfileIdSchema.safeParse(profileId).success) throw new Error('A tenant profile id must be a UUID.')
  return `${TENANT}${profileId}`
}

export const isTenantAccount = (account: string): boolean => account.startsWith(TENANT)
export const isKeydeskAccount = (account: string): boolean => account.startsWith(KEYDESK)

/**
 * The names before namespacing, read only by the migration (tenants/keychain-migration.ts): a
 * tenant's admin key sat bare under its profile id.
 */
export const LEGACY_ACCOUNTS = {
  storeKey: 'keydesk-cache-data-key',
  probe: 'keydesk-keychain-probe',
  tenant: (profileId: string) => profileId
} as const
