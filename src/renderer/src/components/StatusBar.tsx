import type { Meta } from '../../../shared/envelope'
import type { Headroom } from '../../../shared/ratelimit'
import { useUi } from '../lib/store'
import { clockTime, exactUtc } from '../lib/time'
import { useNow } from '../lib/use-now'

function level(fraction: number) {
  return fraction < 0.1 ? 'low' : fraction < 0.3 ? 'mid' : 'ok'
}

export function HeadroomMeter({ headroom }: { headroom?: Headroom }) {
  const now = useNow(1000)
  const openDialog = useUi((s) => s.openDialog)
  const s = headroom?.current
  const live = s && s.resetAt > now
  const remaining = live ? s.remaining : s?.limit
  const fraction = s && s.limit > 0 ? (remaining ?? 0) / s.limit : 1
  const waiting = headroom?.pacing.waitingUntil && headroom.pacing.waitingUntil > now ? Math.ceil((headroom.pacing.waitingUntil - now) / 1000) : null
  return (
    <div className="meter-group">
      {s ? (
        <>
          <span
            role="meter"
            aria-label="Rate-limit headroom"
            aria-valuemin={0}
            aria-valuemax={s.limit}
            aria-valuenow={remaining}
            aria-valuetext={`${remaining} of ${s.limit} requests left`}
            className={`meter meter-${level(fraction)}`}
          >
            <span className="meter-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
          </span>
          <span className="meter-text">
            {remaining} / {s.limit}
          </span>
          <span className="muted">{live ? `resets in ${Math.max(0, Math.ceil((s.resetAt - now) / 1000))} s` : 'window reset'}</span>
        </>
      ) : (
        <span role="meter" aria-label="Rate-limit headroom" aria-valuemin={0} aria-valuemax={100} aria-valuenow={100} aria-valuetext="headroom unknown" className="muted">
          headroom unknown
        </span>
      )}
      {waiting !== null && (
        <span className="waiting" role="status">
          {headroom!.pacing.reason === 'rate-limited' ? `Rate limited — resuming in ${waiting} s` : `Waiting for the rate-limit window (${waiting} s)`}
        </span>
      )}
      <button type="button" className="button ghost small" aria-label="Open the headroom panel" onClick={() => openDialog({ kind: 'headroom' })}>
        Headroom…
      </button>
    </div>
  )
}

export function StatusBar({ headroom, meta, version }: { headroom?: Headroom; meta?: Meta; version?: string }) {
  return (
    <footer className="status-bar">
      <HeadroomMeter headroom={headroom} />
      {meta?.syncedAt ? (
        <span className={`status-sync ${meta.servedFrom === 'cache' ? 'is-offline' : ''}`} title={exactUtc(meta.syncedAt)}>
          {meta.servedFrom === 'cache' ? `Offline — showing keys as of ${clockTime(meta.syncedAt)}` : `Synced ${clockTime(meta.syncedAt)}`}
        </span>
      ) : null}
      <span className="status-version muted">KeyDesk {version ?? ''}</span>
    </footer>
  )
}
