import type { TenantView } from '../../../../shared/tenants'
import { appErrorOf } from '../../lib/api'
import { useUi } from '../../lib/store'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { useStartSandbox } from '../tenants'

/**
 * States where the keys view must not look "offline": the network is fine, something else is.
 * Each says what is wrong and offers the one action that fixes it, instead of the offline banner's
 * VPN hint and Retry (which cannot help here).
 */
export type Unavailable = 'admin-key-refused' | 'sandbox-stopped' | null

export function unavailableState(tenant: TenantView, listError: unknown): Unavailable {
  // The embedded sandbox runs only while KeyDesk does: after a restart it is stopped until started.
  if (tenant.embedded && tenant.status === 'stopped') return 'sandbox-stopped'
  if (tenant.status === 'auth-failed') return 'admin-key-refused'
  if (listError && appErrorOf(listError).code === 'UNAUTHORIZED') return 'admin-key-refused'
  return null
}

export function TenantUnavailable({
  tenant,
  state,
  onRetry,
  retrying
}: {
  tenant: TenantView
  state: Exclude<Unavailable, null>
  onRetry: () => void
  retrying: boolean
}) {
  const openDialog = useUi((s) => s.openDialog)
  const start = useStartSandbox()
  if (state === 'admin-key-refused') {
    return (
      <div className="banner banner-warn" role="alert">
        <strong>Admin key refused.</strong> MeshQu answered, but did not accept the admin key KeyDesk holds for {tenant.label} (401): it may be wrong,
        revoked or expired. Replace it in the tenant&apos;s settings; nothing can be listed or changed until then.{' '}
        <button type="button" className="button small" onClick={() => openDialog({ kind: 'edit-tenant', tenantId: tenant.id })}>
          Open tenant settings
        </button>
      </div>
    )
  }
  return (
    <div className="banner banner-warn" role="alert">
      <strong>The sandbox is stopped.</strong> It runs inside KeyDesk and does not start again by itself after KeyDesk restarts. Start it to see and
      change its keys; the list shown until then is the last copy KeyDesk kept.{' '}
      <button type="button" className="button small" disabled={start.isPending} onClick={() => start.mutate()}>
        {start.isPending ? 'Starting the sandbox…' : 'Start the sandbox'}
      </button>{' '}
      <button type="button" className="button small ghost" disabled={retrying} onClick={onRetry} aria-describedby={`retry-note-${tenant.id}`}>
        Retry
      </button>{' '}
      <span id={`retry-note-${tenant.id}`} className="muted">
        Retry only asks the sandbox for its keys again; it cannot start it.
      </span>
      <ErrorCallout error={start.error} />
    </div>
  )
}
