import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generatePlaintextKey, hashKey, KEY_PREFIX, keyPreview, randomBase62 } from '../../../src/sandbox/keys'
import { generateSeedKeys } from '../../../src/sandbox/seed'
import { keyState, toApiKey } from '../../../src/sandbox/records'
import { ApiKeySchema } from '../../../src/shared/meshqu'

describe('keys', () => {
  it('generates mqu_test_ + 32 base62 characters, all different', () => {
    const keys = Array.from({ length: 200 }, generatePlaintextKey)
    for (const k of keys) expect(k).toMatch(new RegExp(`^${KEY_PREFIX}[A-Za-z0-9]{32}$`))
    expect(new Set(keys).size).toBe(200)
    const chars = new Set(randomBase62(5000))
    expect(chars.size).toBe(62)
  })

  it('hashes with sha256 (hex)', () => {
    const k = generatePlaintextKey()
    expect(hashKey(k)).toBe(createHash('sha256').update(k).digest('hex'))
    expect(hashKey(k)).not.toContain(k.slice(KEY_PREFIX.length))
  })

  it('previews as prefix + ... + last 4', () => {
    const k = generatePlaintextKey()
    expect(keyPreview(k)).toBe(`mqu_test_...${k.slice(-4)}`)
    expect(keyPreview('mqu_live_abcdefgh')).toBe('mqu_live_...efgh')
    expect(keyPreview('mqk_abcdefgh')).toBe('mqk_...efgh')
    expect(keyPreview('noprefix')).toBe('...efix')
  })
})

describe('seeded keys', () => {
  // How fast seeding is belongs to the bench (npm run bench lists 10,000 keys), not to a test.
  it('seeds 10,000 varied keys, none usable', () => {
    const now = Date.now()
    const { keys, events } = generateSeedKeys('t', 10_000, now, 1)
    expect(keys).toHaveLength(10_000)
    expect(new Set(keys.map((k) => k.hash)).size).toBe(10_000)
    const states = { active: 0, revoked: 0, expired: 0 }
    let soon = 0
    for (const k of keys) {
      states[keyState(k, now)] += 1
      if (k.expires_at && k.expires_at > now && k.expires_at < now + 15 * 86_400_000) soon += 1
      expect(k.name).toMatch(/^[a-z-]+-(prod|staging|dev|qa)-\d{3,}$/)
      expect(k.created_at).toBeLessThan(now)
      if (k.last_used_at !== null) expect(k.last_used_at).toBeGreaterThanOrEqual(k.created_at)
      ApiKeySchema.parse(toApiKey(k, now))
    }
    expect(states.active).toBeGreaterThan(5000)
    expect(states.revoked).toBeGreaterThan(500)
    expect(states.expired).toBeGreaterThan(500)
    expect(soon).toBeGreaterThan(500)
    expect(keys[16]!.name.endsWith('-017')).toBe(true)
    expect(events.filter((e) => e.action === 'api_key.created')).toHaveLength(10_000)
    expect(events.filter((e) => e.action === 'api_key.revoked')).toHaveLength(states.revoked)
  })

  it('revocation wins over expiry; expiry takes effect at expires_at', () => {
    expect(keyState({ revoked_at: 1, expires_at: 0 }, 10)).toBe('revoked')
    expect(keyState({ revoked_at: null, expires_at: 10 }, 10)).toBe('expired')
    expect(keyState({ revoked_at: null, expires_at: 11 }, 10)).toBe('active')
    expect(keyState({ revoked_at: null, expires_at: null }, 10)).toBe('active')
  })
})
