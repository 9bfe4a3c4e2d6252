import type { RateLimitSnapshot } from '../../../shared/ratelimit'
import type { NotifierPort } from '../ports'

/**
 * A desktop notification when a tenant's headroom falls below a threshold: once per window, so a
 * bulk job does not raise one per request.
 *
 * A window is not recognised by its exact reset time: a server that sends seconds until the reset
 * gives a slightly different reset on every response. The window alerted for lasts until the reset
 * that alert saw; a reading taken before then belongs to it, one taken at or after it to a new one.
 */
export function createHeadroomAlerts(opts: {
  notifier?: NotifierPort
  threshold: () => number
  labelOf: (profileId: string) => Promise<string | undefined>
}) {
  /** Per tenant, when the window last alerted for ends. */
  const alertedUntil = new Map<string, number>()
  return {
    /** The tenant was removed: drop the window it was last alerted for. */
    forget: (profileId: string) => void alertedUntil.delete(profileId),
    /** Whether a notification was raised for this tenant's current window (tests). */
    alerted: (profileId: string) => alertedUntil.has(profileId),
    check(profileId: string, s: RateLimitSnapshot) {
      if (!opts.notifier || s.limit === 0) return
      if (s.remaining / s.limit >= opts.threshold()) return
      const until = alertedUntil.get(profileId)
      if (until !== undefined && s.observedAt < until) return
      alertedUntil.set(profileId, s.resetAt)
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
