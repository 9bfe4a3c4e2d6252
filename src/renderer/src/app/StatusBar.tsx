import type { Meta } from '../../../shared/envelope'
import type { Headroom } from '../../../shared/ratelimit'
import { clockTime, exactUtc } from '../lib/time'
import { HeadroomMeter } from '../features/headroom'

export function StatusBar({ headroom, meta, version }: { headroom?: Headroom; meta?: Meta; version?: string }) {
  return (
    <footer className="status-bar">
      <HeadroomMeter headroom={headroom} offline={meta?.servedFrom === 'store'} />
      {meta?.syncedAt ? (
        <span className={`status-sync ${meta.servedFrom === 'store' ? 'is-offline' : ''}`} title={exactUtc(meta.syncedAt)}>
          {meta.servedFrom === 'store' ? `Offline — showing keys as of ${clockTime(meta.syncedAt)}` : `Synced ${clockTime(meta.syncedAt)}`}
        </span>
      ) : null}
      <span className="status-version muted">KeyDesk {version ?? ''}</span>
    </footer>
  )
}
