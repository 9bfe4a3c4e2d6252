import type { TenantCounts } from '../../../../shared/contract'
import type { SyncSkip } from '../../../../shared/sync'
import { ENVIRONMENTS, type TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { EnvBadge, environmentLabel } from '../../ui/EnvBadge'
import { useFleetCounts } from '../../lib/fleet-counts'
import { FindingsBadge, RadarEntry } from '../radar'
import { LEVEL_LABEL } from '../protection'
import { useSyncAll, useSyncStatus } from '../../lib/sync'
import { Freshness } from '../../ui/Freshness'

const STATUS_TEXT: Record<TenantView['status'], string> = {
  unknown: 'not checked yet',
  online: 'online',
  offline: 'offline',
  'auth-failed': 'admin key refused',
  'keychain-locked': 'keychain locked',
  stopped: 'sandbox stopped',
  settling: 'settling',
  'rate-limited': 'rate-limited'
}

/** Why the last fleet sync left a tenant out, in the sidebar's words. */
const SKIP_TEXT: Record<SyncSkip, string> = {
  offline: 'offline',
  'keychain-locked': 'keychain locked',
  'auth-failed': 'admin key refused',
  stopped: 'sandbox stopped',
  'rate-limited': 'rate-limited'
}

// n.toLocaleString() builds a formatter per call; one, in the same (default) locale, serves every row.
const grouped = new Intl.NumberFormat()

/** "1,204 active · 3 expiring": what the store last saw of the tenant, without loading its list. */
function countsText(c: TenantCounts | undefined): string | null {
  if (!c) return null
  const live = c.active + c.expiring
  return `${grouped.format(live)} active${c.expiring ? ` · ${grouped.format(c.expiring)} expiring` : ''}`
}

export function Sidebar({ tenants, onSelect }: { tenants: TenantView[]; onSelect: (id: string) => void }) {
  const counts = useFleetCounts()
  const countsOf = new Map((counts.data?.tenants ?? []).map((c) => [c.tenant, c]))
  const active = useUi((s) => s.activeTenantId)
  const openDialog = useUi((s) => s.openDialog)
  const sync = useSyncStatus()
  const syncOf = new Map((sync.data?.tenants ?? []).map((t) => [t.tenant, t]))
  const syncAll = useSyncAll()
  return (
    <nav className="sidebar" aria-label="Tenants">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
          <rect width="32" height="32" rx="8" />
          <circle cx="12" cy="15" r="5" fill="none" stroke="#fff" strokeWidth="3" />
          <path d="M17 15h9M23 15v4M26 15v3" stroke="#fff" strokeWidth="3" strokeLinecap="round" fill="none" />
        </svg>
        KeyDesk
      </div>
      {tenants.length > 0 && <RadarEntry />}
      {tenants.length === 0 && <p className="sidebar-empty">No tenants yet. Add one, or try the sandbox.</p>}
      {ENVIRONMENTS.map((env) => {
        const group = tenants.filter((t) => t.environment === env)
        if (!group.length) return null
        return (
          <section key={env} className="tenant-group" aria-labelledby={`group-${env}`}>
            <h2 id={`group-${env}`} className="group-title">
              {environmentLabel(env)}
            </h2>
            <ul>
              {group.map((t) => {
                const n = tenants.indexOf(t) + 1
                const stored = countsText(countsOf.get(t.id))
                const fresh = syncOf.get(t.id)
                return (
                  // The button is named by its visible text (the label) alone; status, environment
                  // and counts sit beside it as its description, and its ::after stretches over the
                  // card, so the whole card still clicks.
                  <li
                    key={t.id}
                    className={`tenant ${t.id === active ? 'active' : ''}`}
                    style={{ ['--stripe' as string]: t.color }}
                    title={n <= 9 ? `${t.label} — Ctrl+${n}` : t.label}
                  >
                    <button
                      type="button"
                      className="tenant-button"
                      data-tenant-id={t.id}
                      aria-current={t.id === active ? 'page' : undefined}
                      aria-describedby={`tenant-status-${t.id} tenant-level-${t.id}${stored ? ` tenant-counts-${t.id}` : ''}${fresh ? ` tenant-fresh-${t.id}` : ''}`}
                      onClick={() => onSelect(t.id)}
                    >
                      {t.label}
                    </button>
                    <div className="tenant-line">
                      <span className={`status-dot status-${t.status}`} aria-hidden="true" />
                      <span id={`tenant-status-${t.id}`} className="tenant-status">
                        {STATUS_TEXT[t.status]}
                      </span>
                      <EnvBadge env={t.environment} compact />
                      <span id={`tenant-level-${t.id}`} className={`tenant-level level-${t.level}`}>
                        {LEVEL_LABEL[t.level]}
                      </span>
                    </div>
                    <div className="tenant-line">
                      {stored && (
                        <span id={`tenant-counts-${t.id}`} className="tenant-counts">
                          {stored}
                        </span>
                      )}
                      <FindingsBadge tenant={t.id} label={t.label} />
                    </div>
                    {fresh && (
                      <div className="tenant-line">
                        <Freshness
                          id={`tenant-fresh-${t.id}`}
                          syncedAt={fresh.syncedAt}
                          stale={fresh.stale}
                          note={fresh.state === 'skipped' && fresh.skipped ? `skipped: ${SKIP_TEXT[fresh.skipped]}` : null}
                        />
                      </div>
                    )}
                  </li>
                )
              })}
            </ul>
          </section>
        )
      })}
      <div className="sidebar-actions">
        {tenants.length > 0 && (
          <button type="button" className="button ghost" onClick={() => syncAll.mutate()} disabled={syncAll.isPending || sync.data?.running}>
            {sync.data?.running ? 'Syncing…' : 'Sync all now'}
          </button>
        )}
        <button type="button" className="button ghost" data-action="add-tenant" onClick={() => openDialog({ kind: 'add-tenant' })}>
          <span aria-hidden="true">+ </span>Add tenant
        </button>
      </div>
    </nav>
  )
}
