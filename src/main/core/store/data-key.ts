import { randomBytes } from 'node:crypto'
import type { SecretStore } from '../tenants/secret-store'
import { STORE_KEY_ACCOUNT } from '../tenants/keychain-accounts'
import { withCreationLock } from '../fs/creation-lock'

// Named with every other keychain account in tenants/keychain-accounts.ts (KeyDesk's own items
// apart from tenants'); re-exported for the store's code and tests.
export { STORE_KEY_ACCOUNT }

export interface DataKeyOptions {
  /**
   * The data dir. Two KeyDesk processes sharing it (Electron and `start:web`) create the key under
   * an exclusive lock file there, so they never make two different keys. Without it, creation is
   * only serialized within this process.
   */
  lockDir?: string
}

const decode = (stored: string | null): Buffer | null => {
  if (!stored) return null
  const buf = Buffer.from(stored, 'base64')
  return buf.length === 32 ? buf : null
}

/**
 * The AES-256 data key of the offline cache, kept in the OS keychain and created on first use.
 * Losing it (a new keychain) only makes old snapshots unreadable; they are set aside, not fatal.
 * Creation is check → lock → re-read → create: whoever holds the lock second finds the first
 * one's key on its re-read instead of overwriting it with its own.
 */
export function createDataKeyProvider(secrets: SecretStore, options: DataKeyOptions = {}) {
  let key: Promise<Buffer> | undefined
  const load = async (): Promise<Buffer> => {
    const existing = decode(await secrets.get(STORE_KEY_ACCOUNT))
    if (existing) return existing
    return withCreationLock(secrets, options.lockDir, async () => {
      const raced = decode(await secrets.get(STORE_KEY_ACCOUNT))
      if (raced) return raced
      const fresh = randomBytes(32)
      await secrets.set(STORE_KEY_ACCOUNT, fresh.toString('base64'))
      // A KeyDesk without this lock may still have written in between: the keychain's copy wins.
      return decode(await secrets.get(STORE_KEY_ACCOUNT)) ?? fresh
    })
  }
  return () => {
    key ??= load().catch((err) => {
      key = undefined // retry on the next use, e.g. once the keychain is unlocked
      throw err
    })
    return key
  }
}
