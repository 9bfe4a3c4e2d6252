import { describe, expect, it } from 'vitest'
import { keychainNoticeText } from '../../../src/renderer/src/app/keychain-notice'

describe('keychain notice (app.info keychain state)', () => {
  it('says a locked keychain is locked, and to Retry once unlocked', () => {
    expect(keychainNoticeText('locked')).toMatch(/^The keychain is locked\..*Retry/)
  })
  it('names an unreachable keychain differently from a locked one', () => {
    expect(keychainNoticeText('unavailable')).toMatch(/cannot be reached/)
    expect(keychainNoticeText('unavailable')).not.toMatch(/locked/)
  })
  it('says nothing while the keychain works or before app.info answered', () => {
    expect(keychainNoticeText('available')).toBeNull()
    expect(keychainNoticeText(undefined)).toBeNull()
  })
})
