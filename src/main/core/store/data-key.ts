import { randomBytes } from 'node:crypto'
import type { SecretStore } from '../tenants/secret-store'
import { STORE_ANCHOR_ACCOUNT, STORE_KEY_ACCOUNT } from '../tenants/keychain-accounts'
import { withCreationLock } from '../fs/creation-lock'
import { refused } from './refusal'

// Named with every other keychain account in tenants/keychain-accounts.ts (KeyDesk's own items
// apart from tenants'); re-exported for the store's code and tests.
export { STORE_ANCHOR_ACCOUNT, STORE_KEY_ACCOUNT }

export interface DataKeyOptions {
  /**
   * The data dir. Two KeyDesk processes sharing it (Electron and `start:web`) create the key under
   * an exclusive lock file there, so they never make two different keys. Without it, creation is
   * only serialized within this process.
   */
  lockDir?: string
  now?: () => number
}

/**
 * Null only when the keychain has no entry. An entry that is not a 32-byte key in the form
 * KeyDesk writes is damage, not absence: writing a new key over it would make the store and its
 * journal unreadable for good, so it is an error the UI explains (StoreRefusedError 'key-damaged').
 */
const decode = (stored: string | null): Buffer | null => {
  if (stored === null) return null
  const buf = Buffer.from(stored, 'base64')
  if (buf.length !== 32 || buf.toString('base64') !== stored) throw refused('key-damaged')
  return buf
}

/**
 * The AES-256 data key of the fleet store, kept in the OS keychain and created only when the
 * keychain has none. Creation is check → lock → re-read → create: whoever holds the lock second
 * finds the first one's key on its re-read instead of overwriting it with its own.
 */
export function createDataKeyProvider(secrets: SecretStore, options: DataKeyOptions = {}) {
  let key: Promise<Buffer> | undefined
  const create = () =>
    withCreationLock(secrets, options.lockDir, async () => {
      const raced = decode(await secrets.get(STORE_KEY_ACCOUNT))
      if (raced) return raced
      const fresh = randomBytes(32)
      await secrets.set(STORE_KEY_ACCOUNT, fresh.toString('base64'))
      // A KeyDesk without this lock may still have written in between: the keychain's copy wins.
      return decode(await secrets.get(STORE_KEY_ACCOUNT)) ?? fresh
    })
  const load = async (): Promise<Buffer> => decode(await secrets.get(STORE_KEY_ACCOUNT)) ?? create()
  const get = () => {
    key ??= load().catch((err) => {
      key = undefined // retry on the next use, e.g. once the keychain is unlocked
      throw err
    })
    return key
  }
  return Object.assign(get, {
    /**
     * The operator chose a new store over a damaged keychain entry: the entry is kept under
     * `<account>.damaged-<time>` (it may be restorable) and a new key is made. Does nothing to
     * a key that decodes.
     */
    async replaceDamaged(): Promise<void> {
      const stored = await secrets.get(STORE_KEY_ACCOUNT)
      try {
        decode(stored)
        return
      } catch {
        const stamp = new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-')
        await secrets.set(`${STORE_KEY_ACCOUNT}.damaged-${stamp}`, stored!)
        await secrets.delete(STORE_KEY_ACCOUNT)
        key = undefined
      }
    }
  })
}

export type DataKeyProvider = ReturnType<typeof createDataKeyProvider>
