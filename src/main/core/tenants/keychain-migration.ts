import type { Logger } from '../log'
import { encodeAdminKeyRecord } from './admin-key-record'
import { LEGACY_ACCOUNTS, STORE_KEY_ACCOUNT, tenantAccount } from './keychain-accounts'
import type { ProfileStore } from './profile-store'
import type { SecretStore } from './secret-store'

/**
 * Moves one item to its namespaced account. The new item is written before the old one is
 * deleted, so a crash in between leaves both and the next start only deletes; an item already
 * moved is never overwritten from the old one.
 */
async function move(keychain: SecretStore, from: string, to: string, transform: (value: string) => string): Promise<boolean> {
  const old = await keychain.get(from)
  if (old === null) return false
  if ((await keychain.get(to)) === null) await keychain.set(to, transform(old))
  await keychain.delete(from)
  return true
}

/**
 * Carries a keychain written before accounts were namespaced: the data key, each readable
 * profile's bare admin key (bound to the profile as it is now: the upgrade trusts profiles.json
 * once, as KeyDesk did until then), and the old probe marker. Idempotent; never enumerates the
 * keychain (that is what crashes on a locked Linux keyring).
 */
export async function migrateKeychain(keychain: SecretStore, profiles: ProfileStore, log: Logger): Promise<void> {
  // Profiles first: no move may start (and fail) before all of them are awaited together.
  const readable = await profiles.list()
  const moved = await Promise.all([
    move(keychain, LEGACY_ACCOUNTS.storeKey, STORE_KEY_ACCOUNT, (v) => v),
    ...readable.map((p) => move(keychain, LEGACY_ACCOUNTS.tenant(p.id), tenantAccount(p.id), (key) => encodeAdminKeyRecord(key, p)))
  ])
  await keychain.delete(LEGACY_ACCOUNTS.probe)
  const count = moved.filter(Boolean).length
  if (count) log.info(`Moved ${count} keychain item(s) to KeyDesk's namespaced accounts.`)
}

/**
 * The keychain as the core uses it: the first call waits for the migration, so nothing reads an
 * account before its item was moved there. A migration the keychain refused (locked) is tried
 * again on the next call. The availability probe is not held: it is how a locked keychain is told.
 */
export function withKeychainMigration(keychain: SecretStore, deps: { profiles: ProfileStore; log: Logger }): SecretStore {
  let migrated: Promise<void> | undefined
  const ready = () =>
    (migrated ??= migrateKeychain(keychain, deps.profiles, deps.log).catch((err: unknown) => {
      migrated = undefined
      throw err
    }))
  const then = <T>(call: () => Promise<T>) => ready().then(call)
  return {
    get: (account) => then(() => keychain.get(account)),
    set: (account, secret) => then(() => keychain.set(account, secret)),
    delete: (account) => then(() => keychain.delete(account)),
    list: () => then(() => keychain.list()),
    ...(keychain.availability && { availability: () => keychain.availability!() }),
    ...(keychain.dispose && { dispose: () => keychain.dispose!() })
  }
}
