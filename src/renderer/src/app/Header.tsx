import type { Meta } from '../../../shared/envelope'
import type { TenantView } from '../../../shared/tenants'
import { useUi } from '../lib/store'
import { EnvBadge } from '../ui/EnvBadge'
import { Time } from '../ui/Time'

export function Header({ tenant, meta, fetching }: { tenant: TenantView; meta?: Meta; fetching: boolean }) {
  const openDialog = useUi((s) => s.openDialog)
  const prod = tenant.environment === 'production'
  return (
    <header className={`app-header ${prod ? 'is-production' : ''}`} style={{ ['--stripe' as string]: tenant.color }}>
      <div className="header-title">
        <h1 data-testid="tenant-title">{tenant.label}</h1>
        <EnvBadge env={tenant.environment} />
        <span className="sync-state" aria-live="polite">
          {fetching && meta?.servedFrom === 'local' && meta.syncedAt ? (
            <>
              From the fleet store, <Time value={meta.syncedAt} /> · syncing…
            </>
          ) : fetching ? (
            'Syncing…'
          ) : meta?.servedFrom === 'store' ? (
            <>From the fleet store</>
          ) : meta?.syncedAt ? (
            <>
              Synced <Time value={meta.syncedAt} />
            </>
          ) : null}
        </span>
      </div>
      <div className="header-actions">
        {prod && (
          <strong className="production-marker" role="note" aria-label="PRODUCTION tenant: changes affect live traffic">
            PRODUCTION
          </strong>
        )}
        <button
          type="button"
          className="button ghost"
          onClick={() => openDialog({ kind: 'search-all' })}
          title="Search every tenant's last known keys"
        >
          Search all tenants
        </button>
        <button
          type="button"
          className="button ghost"
          onClick={() => openDialog({ kind: 'journal' })}
          title="Everything KeyDesk changed (j)"
          aria-keyshortcuts="j"
        >
          Journal
        </button>
        <button type="button" className="button ghost" onClick={() => openDialog({ kind: 'edit-tenant', tenantId: tenant.id })}>
          Tenant settings
        </button>
      </div>
    </header>
  )
}
