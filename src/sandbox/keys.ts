import { createHash, randomBytes } from 'node:crypto'

/** [ASSUMED] The sandbox issues `mqu_test_` keys so nobody mistakes them for production ones. */
export const KEY_PREFIX = 'mqu_test_'
export const KEY_SECRET_LENGTH = 32
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** `length` base62 characters from crypto randomBytes, unbiased (rejection sampling). */
export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    const bytes = randomBytes(length * 2)
    for (const b of bytes) {
      // 248 = 4 * 62: bytes at or above it would favour the first characters.
      if (b < 248) out += BASE62[b % 62]
      if (out.length === length) break
    }
  }
  return out
}

/** A fresh plaintext API key. Returned to the caller once; never stored. */
export function generatePlaintextKey(): string {
  return KEY_PREFIX + randomBase62(KEY_SECRET_LENGTH)
}

/** What the store keeps instead of the key: its sha256, hex. */
export function hashKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex')
}

/** [DOC] preview = prefix + `...` + last 4 characters, e.g. `mqu_test_...x7Kf`. */
export function keyPreview(plaintext: string): string {
  const underscore = plaintext.lastIndexOf('_')
  const prefix = underscore >= 0 && underscore < plaintext.length - 4 ? plaintext.slice(0, underscore + 1) : ''
  return `${prefix}...${plaintext.slice(-4)}`
}
