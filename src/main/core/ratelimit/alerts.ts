import type { RateLimitSnapshot } from '../../../shared/ratelimit'
import type { NotifierPort } from '../ports'

/**
 * A desktop notification when a tenant's headroom falls below a threshold: once per window, so a
 * bulk job does not raise one per request.
 */
export function createHeadroomAlerts(opts: {
  notifier?: NotifierPort
  threshold: () => number
  labelOf: (profileId: string) => Promise<string | undefined>
}) {
  const alertedWindow = new Map<string, number>()
  return {
    /** The tenant was removed: drop the window it was last alerted for. */
    forget: (profileId: string) => void alertedWindow.delete(profileId),
    /** Whether a notification was raised for this tenant's current window (tests). */
    alerted: (profileId: string) => alertedWindow.has(profileId),
    check(profileId: string, s: RateLimitSnapshot) {
      if (!opts.notifier || s.limit === 0) return
      if (s.remaining / s.limit >= opts.threshold()) return
      if (alertedWindow.get(profileId) === s.resetAt) return
      alertedWindow.set(profileId, s.resetAt)
      const seconds = Math.max(0, Math.ceil((s.resetAt - s.observedAt) / 1000))
      void opts
        .labelOf(profileId)
        .then((label) =>
          opts.notifier!.notify(
            `Rate-limit headroom low: ${label ?? 'a tenant'}`,
            `${s.remaining} of ${s.limit} requests left in this window; it resets in ${seconds} s. KeyDesk paces its own work to stay clear of 429s.`
          )
        )
    }
  }
}

export type HeadroomAlerts = ReturnType<typeof createHeadroomAlerts>
