import type { ChannelOutput } from '../../../shared/contract'

/**
 * What the window says about the keychain (app.info's probe), or null when there is nothing to
 * say. A locked keychain is its own sentence: the fix is to unlock it, not to install anything.
 */
export function keychainNoticeText(state: ChannelOutput<'app.info'>['keychain'] | undefined): string | null {
  switch (state) {
    case 'locked':
      return 'The keychain is locked. KeyDesk cannot read or store admin keys until you unlock it (your login keyring or keychain); then choose Retry.'
    case 'unavailable':
      return 'The keychain cannot be reached. Start or unlock your system keychain (on Linux a Secret Service such as gnome-keyring), then choose Retry.'
    default:
      return null
  }
}
