import { exactUtc, relativeTime } from '../lib/time'
import { useNow } from '../lib/use-now'

/**
 * How fresh a tenant's data in the fleet store is: "as of 4 min ago", the exact time on hover,
 * and "stale" when it is older than two sync periods (main decides: shared/sync.ts, isStale);
 * `note` says why the last fleet sync skipped it ("skipped: offline").
 */
export function Freshness({ syncedAt, stale, id, note }: { syncedAt: number | null; stale: boolean; id?: string; note?: string | null }) {
  const now = useNow(30_000)
  if (syncedAt === null) {
    return (
      <span id={id} className="freshness is-stale">
        not synced yet{note ? ` · ${note}` : ''}
      </span>
    )
  }
  return (
    <span id={id} className={`freshness ${stale ? 'is-stale' : ''}`}>
      <time dateTime={new Date(syncedAt).toISOString()} title={`Synced ${exactUtc(syncedAt)}`}>
        as of {relativeTime(syncedAt, now, { past: true })}
      </time>
      {stale && <span className="stale-mark"> · stale</span>}
      {note && <span> · {note}</span>}
    </span>
  )
}
