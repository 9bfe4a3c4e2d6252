import { describe, expect, it } from 'vitest'
import { parseStoredList } from '../../../../src/renderer/src/features/keys/queries'
import { makeKey } from '../../../fixtures/keys'

// keys.fromStore's list arrives as the stored rows' JSON text (main joins them, never parses them):
// the keys query parses it once and must hold the same keys, in the same order.
describe('parseStoredList', () => {
  it('gives the keys of the text in its order, with the sync time', () => {
    const keys = [makeKey('b', { name: 'say "hi" \u2028 ключ' }), makeKey('a'), makeKey('c', { scopes: [] })]
    const keysJson = `[${keys.map((k) => JSON.stringify(k)).join(',')}]`
    expect(parseStoredList({ keysJson, syncedAt: 7 })).toEqual({ keys, syncedAt: 7 })
    expect(parseStoredList({ keysJson, syncedAt: 7 })!.keys.map((k) => k.id)).toEqual(['b', 'a', 'c'])
  })

  it('is an empty list for an empty one, and null for a tenant never synced', () => {
    expect(parseStoredList({ keysJson: '[]', syncedAt: 1 })).toEqual({ keys: [], syncedAt: 1 })
    expect(parseStoredList(null)).toBeNull()
  })
})
