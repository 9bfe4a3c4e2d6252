import { keychainNoticeText } from './keychain-notice'
import { useAppInfo, useRetryEverything } from './queries'

/** The keychain's state from app.info, with Retry: once unlocked, every query is asked again. */
export function KeychainNotice() {
  const info = useAppInfo()
  const retry = useRetryEverything()
  const text = keychainNoticeText(info.data?.keychain)
  if (!text) return null
  return (
    <div className="banner banner-warn" role="alert" data-testid="keychain-notice">
      {text}
      <button type="button" className="button small" disabled={info.isFetching} onClick={retry}>
        {info.isFetching ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  )
}
