import { describe, expect, it } from 'vitest'
import { CHIP_CHROME, CHIP_GAP, fitChips } from '../../../../src/renderer/src/features/keys/scope-chips'

const w = (s: string) => s.length * 7
const chip = (s: string) => w(s) + CHIP_CHROME

describe('fitChips', () => {
  const scopes = ['api-keys:read', 'api-keys:admin', 'audit:read']
  it('shows every chip when all fit', () => {
    expect(fitChips(scopes, 1000, w)).toEqual({ shown: scopes, more: 0 })
  })
  it('shows whole chips, then a +N that also fits', () => {
    const width = chip('api-keys:read') + CHIP_GAP + chip('+2') + 5
    expect(fitChips(scopes, width, w)).toEqual({ shown: ['api-keys:read'], more: 2 })
  })
  it('drops a chip rather than leave no room for +N', () => {
    // Two chips fit alone, but not with the "+1" after them.
    const width = chip('api-keys:read') + CHIP_GAP + chip('api-keys:admin') + 2
    expect(fitChips(scopes, width, w)).toEqual({ shown: ['api-keys:read'], more: 2 })
  })
  it('shows only +N in a very narrow cell', () => {
    expect(fitChips(scopes, 30, w)).toEqual({ shown: [], more: 3 })
  })
})
