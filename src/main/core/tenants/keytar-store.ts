import { KEYCHAIN_SERVICE, KeychainUnavailableError, type SecretStore } from './secret-store'

type Keytar = typeof import('keytar')

/** One sentence naming the fix for this OS. */
export function keychainHint(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'The macOS Keychain could not be used. Unlock your login keychain (Keychain Access) and allow KeyDesk access, then retry.'
    case 'win32':
      return 'Windows Credential Manager could not be used. Sign in to your Windows account normally (not a restricted session), then retry.'
    default:
      return 'No Secret Service answered. Install gnome-keyring (or another Secret Service such as KeePassXC) with libsecret, make sure it runs in your session and is unlocked, then retry.'
  }
}

/**
 * SecretStore on the OS keychain through keytar (service "keydesk", account = profile id).
 * keytar is loaded lazily so a machine without it (or without a Secret Service) fails with
 * KEYCHAIN_UNAVAILABLE on use instead of crashing at start.
 */
export function createKeytarSecretStore(service = KEYCHAIN_SERVICE, loader: () => Promise<Keytar> = defaultLoader): SecretStore {
  let keytar: Keytar | undefined
  const lib = async (): Promise<Keytar> => {
    if (keytar) return keytar
    try {
      keytar = await loader()
      return keytar
    } catch {
      throw new KeychainUnavailableError(`KeyDesk's keychain module could not load. ${keychainHint()}`)
    }
  }
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op()
    } catch (err) {
      if (err instanceof KeychainUnavailableError) throw err
      // keytar's own messages can be obscure ("Cannot autolaunch D-Bus…"); ours names the fix.
      throw new KeychainUnavailableError(keychainHint())
    }
  }
  return {
    get: (account) => guard(async () => (await lib()).getPassword(service, account)),
    set: (account, secret) => guard(async () => (await lib()).setPassword(service, account, secret)),
    delete: (account) => guard(async () => (await lib()).deletePassword(service, account)),
    list: () => guard(async () => (await (await lib()).findCredentials(service)).map((c) => c.account))
  }
}

async function defaultLoader(): Promise<Keytar> {
  const mod = (await import('keytar')) as Keytar & { default?: Keytar }
  return mod.default ?? mod
}
