import { useQueryClient } from '@tanstack/react-query'
import { keychainNoticeText } from '../lib/keychain-notice'
import { useAppInfo } from '../lib/queries'

/** The keychain's state from app.info, with Retry: once unlocked, every query is asked again. */
export function KeychainNotice() {
  const info = useAppInfo()
  const qc = useQueryClient()
  const text = keychainNoticeText(info.data?.keychain)
  if (!text) return null
  return (
    <div className="banner banner-warn" role="alert" data-testid="keychain-notice">
      {text}
      <button type="button" className="button small" disabled={info.isFetching} onClick={() => void qc.invalidateQueries()}>
        {info.isFetching ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  )
}
