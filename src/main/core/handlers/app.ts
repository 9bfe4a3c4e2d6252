import type { Handlers } from '../router'
import { keychainAvailability, type SecretStore } from '../tenants/secret-store'

export interface AppDeps {
  secrets: SecretStore
  dataDir: string
  appVersion?: string
  platform?: string
}

/** What the window needs to know about this KeyDesk before any tenant call: version, data dir, keychain. */
export function appHandlers(d: AppDeps): Pick<Handlers, 'app.info'> {
  return {
    'app.info': async () => {
      // A probe of one account, never an enumeration: findCredentials is what a locked keyring crashes on.
      const keychain = await keychainAvailability(d.secrets)
      return {
        data: {
          version: d.appVersion ?? '0.0.0',
          platform: d.platform ?? process.platform,
          dataDir: d.dataDir,
          keychain
        }
      }
    }
  }
}
