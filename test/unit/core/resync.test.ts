import { describe, expect, it } from 'vitest'
import { describeChanges, diffKeyLists } from '../../../src/main/core/store/resync'
import type { ApiKey } from '../../../src/shared/meshqu'
import { makeKey } from '../../fixtures/keys'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const k = (id: string, over: Partial<ApiKey> = {}): ApiKey =>
  makeKey(id, { tenant_id: 't', name: id, key_preview: 'mqu_test_...abcd', scopes: ['audit:read'], created_at: '2026-01-01T00:00:00Z', ...over })

describe('resync summary', () => {
  it('counts added, revoked, expired and vanished keys', () => {
    const before = [k('a'), k('b'), k('c', { expires_at: '2026-07-01T00:00:00Z' }), k('gone')]
    const after = [
      k('a'),
      k('b', { revoked_at: '2026-05-31T00:00:00Z', is_active: false }),
      k('c', { expires_at: '2026-05-01T00:00:00Z' }),
      k('new1'),
      k('new2'),
      k('new3')
    ]
    const diff = diffKeyLists(before, after, NOW)
    expect(diff).toEqual({ added: 3, revoked: 1, expired: 1, removed: 1 })
    expect(describeChanges(diff)).toBe('3 keys added, 1 revoked, 1 expired, 1 no longer listed')
    expect(describeChanges(diffKeyLists(before, before, NOW))).toBe('no changes')
    expect(describeChanges({ added: 1, revoked: 0, expired: 0, removed: 0 })).toBe('1 key added')
  })
})
