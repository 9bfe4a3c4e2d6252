/**
 * The keychain port (Bitwarden-style): admin keys and the cache's data key live behind it.
 * Adapters: keytar (the OS keychain) and an in-memory fake for unit tests.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  /** Resolves true when an entry was removed. */
  delete(account: string): Promise<boolean>
  list(): Promise<string[]>
}

/** Thrown by adapters when the keychain cannot be reached (no Secret Service, locked keychain). */
export class KeychainUnavailableError extends Error {
  constructor(readonly hint: string) {
    super(hint)
    this.name = 'KeychainUnavailableError'
  }
}

export const KEYCHAIN_SERVICE = 'keydesk'
