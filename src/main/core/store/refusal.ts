import type { StoreProblem } from '../../../shared/store-trust'
import { CoreError } from '../errors'

/**
 * The store will not open what it has: a file the keychain's key cannot open, one from a newer
 * KeyDesk, or a keychain entry that is not a key. Nothing is moved or replaced; the operator
 * chooses the way on (docs/ARCHITECTURE.md, "Trust roots").
 */
export class StoreRefusedError extends CoreError {
  constructor(
    readonly problem: StoreProblem,
    message: string
  ) {
    super('STORE_UNREADABLE', message)
    this.name = 'StoreRefusedError'
  }
}

const WAY_ON =
  'KeyDesk keeps the file as it is. Put back the keychain entry or file you had, update KeyDesk, or choose "Start a new store" (the file is set aside, never deleted).'

export const REFUSED_SENTENCES: Record<StoreProblem, string> = {
  unreadable: `The fleet store file cannot be opened with the key in the OS keychain: it was written with another key, or it is damaged. ${WAY_ON}`,
  newer: `The fleet store file was written by a newer KeyDesk. Update KeyDesk to use it. ${WAY_ON}`,
  'key-damaged': `The fleet store's key in the OS keychain is damaged (it is not a KeyDesk key), so the store cannot be opened. ${WAY_ON}`
}

export const refused = (problem: StoreProblem) => new StoreRefusedError(problem, REFUSED_SENTENCES[problem])
