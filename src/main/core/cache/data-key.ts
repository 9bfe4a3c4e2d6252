import { randomBytes } from 'node:crypto'
import type { SecretStore } from '../tenants/secret-store'

/** Keychain account of the offline cache's data key; profile ids are UUIDs, so it cannot clash. */
export const CACHE_KEY_ACCOUNT = 'keydesk-cache-data-key'

/**
 * The AES-256 data key of the offline cache, kept in the OS keychain and created on first use.
 * Losing it (a new keychain) only makes old snapshots unreadable; they are set aside, not fatal.
 */
export function createDataKeyProvider(secrets: SecretStore) {
  let key: Promise<Buffer> | undefined
  const load = async (): Promise<Buffer> => {
    const stored = await secrets.get(CACHE_KEY_ACCOUNT)
    if (stored) {
      const buf = Buffer.from(stored, 'base64')
      if (buf.length === 32) return buf
    }
    const fresh = randomBytes(32)
    await secrets.set(CACHE_KEY_ACCOUNT, fresh.toString('base64'))
    return fresh
  }
  return () => {
    key ??= load().catch((err) => {
      key = undefined // retry on the next use, e.g. once the keychain is unlocked
      throw err
    })
    return key
  }
}
