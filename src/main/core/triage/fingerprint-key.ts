import { createHmac, randomBytes } from 'node:crypto'
import type { SecretStore } from '../tenants/secret-store'
import { FINGERPRINT_KEY_ACCOUNT } from '../tenants/keychain-accounts'
import { withCreationLock } from '../fs/creation-lock'

export { FINGERPRINT_KEY_ACCOUNT }

const decode = (stored: string | null): Buffer | null => {
  if (stored === null) return null
  const buf = Buffer.from(stored, 'base64')
  if (buf.length !== 32 || buf.toString('base64') !== stored) throw new Error('the leak fingerprint key in the keychain is damaged')
  return buf
}

/**
 * Keyed fingerprints of plaintext keys: HMAC-SHA-256 under a 32-byte key kept in the OS keychain
 * (created on first use, under the same creation lock as the store's data key). Keyed, so a copy of
 * the store is no dictionary to test guessed keys against; the key never leaves main: only the
 * digests go to the store's thread. A damaged entry is an error rather than replaced, since a new
 * key would silently orphan every fingerprint already stored.
 */
export function createFingerprinter(secrets: SecretStore, options: { lockDir?: string } = {}) {
  let key: Promise<Buffer> | undefined
  const create = () =>
    withCreationLock(secrets, options.lockDir, async () => {
      const raced = decode(await secrets.get(FINGERPRINT_KEY_ACCOUNT))
      if (raced) return raced
      const fresh = randomBytes(32)
      await secrets.set(FINGERPRINT_KEY_ACCOUNT, fresh.toString('base64'))
      return decode(await secrets.get(FINGERPRINT_KEY_ACCOUNT)) ?? fresh
    })
  const load = async () => decode(await secrets.get(FINGERPRINT_KEY_ACCOUNT)) ?? create()
  const get = () => {
    key ??= load().catch((err) => {
      key = undefined // a locked keychain: tried again on the next use
      throw err
    })
    return key
  }
  return {
    /** The fingerprint of one plaintext key, hex. */
    async of(plaintext: string): Promise<string> {
      return createHmac('sha256', await get())
        .update(plaintext, 'utf8')
        .digest('hex')
    }
  }
}

export type Fingerprinter = ReturnType<typeof createFingerprinter>
