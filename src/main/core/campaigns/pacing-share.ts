import type { RateLimitTracker } from '../ratelimit/tracker'
import { sleep as timerSleep } from '../sleep'

/**
 * A campaign's share of each tenant's rate-limit window: at most `share × limit` of its requests
 * (at least one) are sent in one window, counted by the window's reset time as MeshQu reports it.
 * A request sent while no window is known (the first, or after a reset) counts towards the next
 * window seen. Near a window's end nothing is sent, so a request never straddles two windows.
 * Retry-After is the tenant scheduler's (ratelimit/scheduler.ts): after a 429 every call of the
 * tenant, the campaign's too, waits it out there.
 */
export interface PacingShareOptions {
  tracker: Pick<RateLimitTracker, 'forTenant'>
  now: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** How close to a window's end the campaign stops sending until the next window. */
const EDGE_MS = 150
const MARGIN_MS = 50

export function createPacingShare(o: PacingShareOptions) {
  const sleep = o.sleep ?? timerSleep
  const windows = new Map<string, { resetAt: number; used: number; unattributed: number; sentAt: number }>()

  return {
    /** Waits until the tenant's window has room in the campaign's share, then counts one request. */
    async take(tenant: string, share: number, signal?: AbortSignal): Promise<void> {
      for (;;) {
        if (signal?.aborted) throw signal.reason
        const w = windows.get(tenant) ?? { resetAt: 0, used: 0, unattributed: 0, sentAt: 0 }
        windows.set(tenant, w)
        const snap = o.tracker.forTenant(tenant)
        const now = o.now()
        if (!snap || snap.resetAt <= now) {
          // No window known: one request at a time learns it (another after a second without an answer).
          if (w.unattributed === 0 || now - w.sentAt >= 1000) {
            w.unattributed++
            w.sentAt = now
            return
          }
          await sleep(MARGIN_MS, signal)
          continue
        }
        if (w.resetAt !== snap.resetAt) {
          w.resetAt = snap.resetAt
          w.used = w.unattributed
          w.unattributed = 0
        }
        const budget = Math.max(1, Math.floor(snap.limit * share))
        if (w.used < budget && snap.resetAt - now > EDGE_MS) {
          w.used++
          return
        }
        await sleep(Math.max(1, snap.resetAt - now + MARGIN_MS), signal)
      }
    },
    forget: (tenant: string) => void windows.delete(tenant)
  }
}

export type PacingShare = ReturnType<typeof createPacingShare>
