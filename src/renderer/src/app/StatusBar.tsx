import type { Meta } from '../../../shared/envelope'
import type { Headroom } from '../../../shared/ratelimit'
import { clockTime, exactUtc } from '../lib/time'
import { HeadroomMeter } from '../features/headroom'
import { useCancelSync, useSyncStatus } from '../lib/sync'

/** "Syncing 12 of 50 tenants" with Cancel while the fleet sync runs (lib/sync.ts). */
function SyncProgress() {
  const { data } = useSyncStatus()
  const cancel = useCancelSync()
  if (!data?.running) return null
  return (
    <span className="status-fleet-sync" role="status">
      Syncing {Math.min(data.done + 1, data.total)} of {data.total} tenant{data.total === 1 ? '' : 's'}
      <button type="button" className="button small ghost" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
        Cancel
      </button>
    </span>
  )
}

export function StatusBar({ headroom, meta, version, rateLimited }: { headroom?: Headroom; meta?: Meta; version?: string; rateLimited?: boolean }) {
  const fromStore = meta?.servedFrom === 'store'
  return (
    <footer className="status-bar">
      <HeadroomMeter headroom={headroom} offline={fromStore && !rateLimited} />
      {meta?.syncedAt ? (
        <span className={`status-sync ${fromStore ? 'is-offline' : ''}`} title={exactUtc(meta.syncedAt)}>
          {fromStore
            ? `${rateLimited ? 'Rate-limited' : 'Offline'} — showing keys as of ${clockTime(meta.syncedAt)}`
            : `Synced ${clockTime(meta.syncedAt)}`}
        </span>
      ) : null}
      <SyncProgress />
      <span className="status-version muted">KeyDesk {version ?? ''}</span>
    </footer>
  )
}
