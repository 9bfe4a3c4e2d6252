import type { Headroom } from '../../../../shared/ratelimit'
import { useUi } from '../../lib/store'
import { useNow } from '../../lib/use-now'
import { Meter } from '../../ui/Meter'

/** The status bar's headroom: remaining requests of the window, its reset, and any pacing wait. */
export function HeadroomMeter({ headroom, offline = false }: { headroom?: Headroom; offline?: boolean }) {
  const now = useNow(1000)
  const openDialog = useUi((s) => s.openDialog)
  // Offline, KeyDesk has no fresh window: a past one is not shown as a full "1000 / 1000".
  const s = offline ? undefined : headroom?.current
  const live = s && s.resetAt > now
  const remaining = live ? s.remaining : s?.limit
  const waiting = headroom?.pacing.waitingUntil && headroom.pacing.waitingUntil > now ? Math.ceil((headroom.pacing.waitingUntil - now) / 1000) : null
  return (
    <div className="meter-group">
      {s ? (
        <>
          <Meter label="Rate-limit headroom" value={remaining ?? 0} max={s.limit} valueText={`${remaining} of ${s.limit} requests left`} />
          <span className="meter-text">
            {remaining} / {s.limit}
          </span>
          <span className="muted">{live ? `resets in ${Math.max(0, Math.ceil((s.resetAt - now) / 1000))} s` : 'window reset'}</span>
        </>
      ) : (
        <span
          role="meter"
          aria-label="Rate-limit headroom"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={100}
          aria-valuetext={offline ? 'headroom unknown while offline' : 'headroom unknown'}
          className="muted"
        >
          {offline ? 'headroom unknown while offline' : 'headroom unknown'}
        </span>
      )}
      {waiting !== null && (
        <span className="waiting" role="status">
          {headroom!.pacing.reason === 'rate-limited'
            ? `Rate limited — resuming in ${waiting} s`
            : `Waiting for the rate-limit window (${waiting} s)`}
        </span>
      )}
      <button
        type="button"
        className="button ghost small"
        aria-label="Headroom… open the headroom panel"
        onClick={() => openDialog({ kind: 'headroom' })}
      >
        Headroom…
      </button>
    </div>
  )
}
