import { useEffect } from 'react'
import { type KeysData } from '../features/keys'
import { useUi } from '../lib/store'
import { APP_NOTICES, useNotices, type Notice } from './notices'
import { useStoreStatus } from './queries'

/** Settled writes from a keys reply → kept notices, each with the action that follows from it. */
export function noticesFromKeys(tenantId: string, data: KeysData['data'] | undefined): Notice[] {
  if (!data) return []
  if (data.settled) {
    return data.settled.map((w) => ({
      id: `${tenantId}:settled:${w.kind}:${w.keyId ?? '-'}:${w.sentence}`,
      tenantId,
      text: w.sentence,
      action: w.applied
        ? undefined
        : w.kind === 'revoke' && w.keyId
          ? { label: 'Revoke again…', dialog: { kind: 'revoke' as const, tenantId, keyId: w.keyId } }
          : w.kind === 'create'
            ? { label: 'Create key…', dialog: { kind: 'create-key' as const, tenantId } }
            : undefined
    }))
  }
  return (data.settledWrites ?? []).map((text) => ({ id: `${tenantId}:settled:${text}`, tenantId, text }))
}

/** Keeps a tenant's settled-write warnings on screen until dismissed. */
export function PersistentNotices({ tenantId, data }: { tenantId: string; data: KeysData['data'] | undefined }) {
  const add = useNotices((s) => s.add)
  useEffect(() => {
    const incoming = noticesFromKeys(tenantId, data)
    if (incoming.length) add(incoming)
  }, [tenantId, data, add])
  return <NoticeBanners tenantId={tenantId} />
}

/** Main's warnings → kept notices, each once (the same text is the same notice), until dismissed. */
function useAppWarnings(warnings: readonly string[] | undefined) {
  const add = useNotices((s) => s.add)
  useEffect(() => {
    if (warnings?.length) add(warnings.map((text) => ({ id: `${APP_NOTICES}:${text}`, tenantId: APP_NOTICES, text })))
  }, [warnings, add])
}

/**
 * What main said at start (profiles.json or the fleet store set aside, with where it went), and
 * what the fleet store said since (its thread stopped and was started again, read from
 * store.status): on every screen, until dismissed. The welcome screen lists the start-up ones
 * too, but it is gone as soon as one tenant exists.
 */
export function StartupNotices({ warnings }: { warnings: readonly string[] | undefined }) {
  useAppWarnings(warnings)
  useAppWarnings(useStoreStatus().data?.warnings)
  return <NoticeBanners tenantId={APP_NOTICES} />
}

function NoticeBanners({ tenantId }: { tenantId: string }) {
  const dismiss = useNotices((s) => s.dismiss)
  const notices = useNotices((s) => s.notices).filter((n) => n.tenantId === tenantId)
  const openDialog = useUi((s) => s.openDialog)
  return (
    <>
      {notices.map((n) => (
        <div key={n.id} className="banner banner-warn" role="alert">
          {n.text}{' '}
          {n.action && (
            <button type="button" className="button small" onClick={() => openDialog(n.action!.dialog)}>
              {n.action.label}
            </button>
          )}{' '}
          <button type="button" className="button small ghost" onClick={() => dismiss(n.id)} aria-label={`Dismiss: ${n.text}`}>
            Dismiss
          </button>
        </div>
      ))}
    </>
  )
}
