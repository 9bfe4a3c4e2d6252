import { useState } from 'react'
import { appErrorOf } from '../lib/api'
import { describeError } from '../lib/errors'
import { useAcknowledgeStore, useAppInfo, useRetryStore, useStartNewStore, useStoreStatus } from './queries'

/**
 * The fleet store's notices: closed while the keychain holding its key is locked or missing (with
 * Retry); a file it refuses to open (with "Start a new store", after saying what that does); and
 * what the keychain's anchor found about the file (an older copy, another file, one set aside),
 * shown on every screen and after every restart until acknowledged.
 */
export function StoreNotice() {
  return (
    <>
      <ClosedNotice />
      <IncidentNotices />
    </>
  )
}

function ClosedNotice() {
  const status = useStoreStatus()
  const retry = useRetryStore()
  const keychain = useAppInfo().data?.keychain
  if (status.data?.state !== 'unavailable') return null
  if (status.data.problem) return <RefusedNotice />
  // A keychain known to be locked or missing has its own notice (KeychainNotice); one is enough.
  if (keychain && keychain !== 'available') return null
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

/** The store will not open its file; the file is kept. The operator chooses: fix what changed, or set it aside. */
function RefusedNotice() {
  const status = useStoreStatus().data!
  const retry = useRetryStore()
  const startNew = useStartNewStore()
  const [confirming, setConfirming] = useState(false)
  return (
    <div className="banner banner-warn store-notice" role="alert">
      <strong>The fleet store is closed.</strong> {status.reason?.message} Key lists are not kept for offline use, search across tenants has no data
      and scheduled revokes do not run until this is settled.{' '}
      <button type="button" className="button small" onClick={() => retry.mutate()} disabled={retry.isPending}>
        {retry.isPending ? 'Retrying…' : 'Retry'}
      </button>{' '}
      {confirming ? (
        <span>
          The file <code className="wrap">{status.path}</code> is renamed (kept, not deleted)
          {status.problem === 'key-damaged' ? ', the damaged keychain entry is kept under another name' : ''} and a new, empty fleet store is started;
          each tenant&apos;s next sync fills it again. The old file&apos;s journal and scheduled revokes stay in it.{' '}
          <button type="button" className="button small danger" onClick={() => startNew.mutate()} disabled={startNew.isPending}>
            {startNew.isPending ? 'Starting…' : 'Set it aside and start a new store'}
          </button>{' '}
          <button type="button" className="button small ghost" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="button small" onClick={() => setConfirming(true)}>
          Start a new store…
        </button>
      )}
      {(retry.isError || startNew.isError) && <span>{describeError(appErrorOf(retry.error ?? startNew.error))}</span>}
    </div>
  )
}

function IncidentNotices() {
  const status = useStoreStatus().data
  const acknowledge = useAcknowledgeStore()
  if (!status?.incidents.length) return null
  return (
    <>
      {status.incidents.map((i) => (
        <div key={i.id} className="banner banner-warn store-incident" role="alert">
          <strong>{i.kind === 'set-aside' ? 'A fleet store was set aside.' : 'The fleet store file changed behind KeyDesk.'}</strong> {i.detail}{' '}
          {i.kind !== 'set-aside' && status.schedulesHeld ? `${status.schedulesHeld} ` : ''}
          <button type="button" className="button small" onClick={() => acknowledge.mutate([i.id])} disabled={acknowledge.isPending}>
            Acknowledge
          </button>
        </div>
      ))}
      {acknowledge.isError && <div className="banner banner-warn">{describeError(appErrorOf(acknowledge.error))}</div>}
    </>
  )
}
