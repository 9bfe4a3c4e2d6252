import { useNow } from '../../lib/use-now'
import { useEndUnlock, useUnlockActivity, useUnlocks } from './queries'
import { countdown } from './words'

/**
 * While writes of a read-only tenant are unlocked: a banner that stays, naming each tenant and
 * counting down on main's clock, with Lock now. The window's border (App) says the same.
 */
export function UnlockBanner() {
  const unlocks = useUnlocks()
  const list = unlocks.data?.unlocks ?? []
  const now = useNow(1000) + (unlocks.data?.clockOffset ?? 0)
  const end = useEndUnlock()
  useUnlockActivity(list.length > 0)
  if (!list.length) return null
  return (
    <div className="banner banner-unlocked" role="region" aria-label="Writes unlocked">
      {list.map((u) => (
        <p key={u.tenant} className="unlock-line">
          <strong>Writes unlocked in {u.label}</strong>{' '}
          <span role="timer" aria-live="off" aria-label={`Time left for ${u.label}`}>
            {countdown(u.until - now)}
          </span>{' '}
          left · {u.reason}{' '}
          <button
            type="button"
            className="button small"
            onClick={() => end.mutate(u.tenant)}
            disabled={end.isPending}
            aria-label={`Lock now: ${u.label}`}
          >
            Lock now
          </button>
        </p>
      ))}
    </div>
  )
}

/** True while any unlock is held: the window wears its border. */
export const useAnyUnlock = () => (useUnlocks().data?.unlocks.length ?? 0) > 0
