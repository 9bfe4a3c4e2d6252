import { CoreError } from '../errors'
import { STORE_KEY_ACCOUNT, type DataKeyProvider } from './data-key'
import type { FleetStore } from './fleet-store'
import { setStoreFileAside } from './set-aside'
import type { StoreTrust } from './trust'

export interface StartNewDeps {
  store: FleetStore
  dataKey: DataKeyProvider
  trust: StoreTrust
  path: string
  now: () => number
}

/**
 * The operator's way on from a refused store ("Start a new store"): only while the store refuses
 * its file. The file is set aside (renamed, never deleted), a damaged keychain entry is kept under
 * another account before a new key is made, the anchor records it (reported until acknowledged)
 * and a new, empty store is opened; each tenant's next sync fills it again.
 */
export async function startNewStore(d: StartNewDeps): Promise<void> {
  const problem = d.store.problem()
  if (!problem) throw new CoreError('VALIDATION', 'The fleet store has not refused its file, so there is nothing to set aside.')
  if (problem === 'key-damaged') await d.dataKey.replaceDamaged()
  const aside = setStoreFileAside(d.path, d.now())
  const kept = aside ? ` The old file was set aside as ${aside}; its journal and scheduled revokes are in it.` : ''
  await d.trust.setAside(
    problem === 'key-damaged'
      ? `The fleet store's key in the keychain was damaged: it was kept as "${STORE_KEY_ACCOUNT}.damaged-…" and a new store with a new key was started.${kept}`
      : `The fleet store file could not be opened (${problem === 'newer' ? 'written by a newer KeyDesk' : 'another key, or damage'}) and a new store was started.${kept}`
  )
  await d.store.open()
}
