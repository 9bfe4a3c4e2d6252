import { appErrorOf } from '../lib/api'
import { describeError } from '../lib/errors'
import { useAppInfo, useRetryStore, useStoreStatus } from './queries'

/**
 * The encrypted fleet store is closed while the keychain holding its key is locked or missing.
 * KeyDesk still works online; say why nothing is kept offline, and offer Retry after unlocking.
 */
export function StoreNotice() {
  const status = useStoreStatus()
  const retry = useRetryStore()
  const keychain = useAppInfo().data?.keychain
  // A keychain known to be locked or missing has its own notice (KeychainNotice); one is enough.
  if (status.data?.state !== 'unavailable' || (keychain && keychain !== 'available')) return null
  const reason = status.data.reason
  return (
    <div className="banner banner-warn store-notice" role="alert">
      <strong>The fleet store is closed.</strong> {reason ? describeError(reason) : null} Key lists are not kept for offline use and search across
      tenants has no data until it opens.
      <button type="button" className="button small" onClick={() => retry.mutate()} disabled={retry.isPending}>
        {retry.isPending ? 'Retrying…' : 'Retry'}
      </button>
      {retry.isError && <span>{describeError(appErrorOf(retry.error))}</span>}
    </div>
  )
}
