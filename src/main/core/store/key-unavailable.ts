import { CoreError } from '../errors'

/**
 * Why the store stays closed when its data key could not be read from the keychain (locked,
 * missing): one sentence for the UI and Retry, whoever opens the store (in process or its worker).
 */
export function keyUnavailable(err: unknown): CoreError {
  if (err instanceof CoreError) return err
  const said = err instanceof Error && err.name === 'KeychainUnavailableError' ? err.message : null
  return new CoreError('KEYCHAIN_UNAVAILABLE', said ?? "The OS keychain that holds the fleet store's key could not be reached.")
}
