import { KEYCHAIN_PROBE_ACCOUNT } from './keychain-accounts'
import type { KeychainAvailability } from './keychain-protocol'

/**
 * The keychain port (Bitwarden-style): admin keys and the cache's data key live behind it, under
 * the account names of tenants/keychain-accounts.ts.
 * Adapters: keytar in a worker process (the OS keychain) and an in-memory fake for unit tests.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  /** Resolves true when an entry was removed. */
  delete(account: string): Promise<boolean>
  /** Enumerates accounts: never used to test availability (it is what crashes on a locked keyring). */
  list(): Promise<string[]>
  /** Whether the keychain can be used now, found without enumerating it. Optional for fakes. */
  availability?(): Promise<KeychainAvailability>
  /** Ends whatever the adapter runs (the keychain worker). */
  dispose?(): Promise<void>
}

export type KeychainUnavailableReason = Exclude<KeychainAvailability, 'available'>

/** Thrown by adapters when the keychain cannot be reached (no Secret Service, locked keychain). */
export class KeychainUnavailableError extends Error {
  constructor(
    readonly hint: string,
    readonly reason: KeychainUnavailableReason = 'unavailable'
  ) {
    super(hint)
    this.name = 'KeychainUnavailableError'
  }
}

export const KEYCHAIN_SERVICE = 'keydesk'

/** app.info's answer: the adapter's own probe, or for a store without one, a read of the probe account. */
export async function keychainAvailability(store: SecretStore): Promise<KeychainAvailability> {
  if (store.availability) return store.availability()
  return store.get(KEYCHAIN_PROBE_ACCOUNT).then(
    () => 'available' as const,
    (err: unknown) => (err instanceof KeychainUnavailableError ? err.reason : 'unavailable')
  )
}
