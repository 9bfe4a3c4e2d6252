import type { RateLimitSnapshot, RateLimitWindow } from '../../../shared/ratelimit'

const HISTORY_MS = 60 * 60 * 1000

/**
 * The latest headroom reading per tenant profile (post-authentication tier) and per base URL
 * (pre-authentication tier), plus the last hour of windows per tenant for the headroom chart.
 * Readings that arrive out of order never overwrite a newer one.
 */
export interface RateLimitTracker {
  record(key: { profileId: string; baseUrl: string }, snapshot: RateLimitSnapshot): void
  noteRateLimited(profileId: string, at: number): void
  forTenant(profileId: string): RateLimitSnapshot | undefined
  forBaseUrl(baseUrl: string): RateLimitSnapshot | undefined
  history(profileId: string, now: number): RateLimitWindow[]
  /** Seeds history from the fleet store after a restart; windows already known win. */
  restoreHistory(profileId: string, windows: RateLimitWindow[]): void
  forget(profileId: string): void
  /** Called after every post-authentication reading, e.g. to raise a low-headroom notification. */
  onReading(listener: (profileId: string, snapshot: RateLimitSnapshot) => void): void
}

export function createRateLimitTracker(): RateLimitTracker {
  const byTenant = new Map<string, RateLimitSnapshot>()
  const byBase = new Map<string, RateLimitSnapshot>()
  const windows = new Map<string, Map<number, RateLimitWindow>>()
  const listeners: ((profileId: string, snapshot: RateLimitSnapshot) => void)[] = []

  const put = (map: Map<string, RateLimitSnapshot>, key: string, s: RateLimitSnapshot) => {
    const prev = map.get(key)
    if (!prev || prev.observedAt <= s.observedAt) map.set(key, s)
  }
  const windowsOf = (id: string) => {
    let w = windows.get(id)
    if (!w) windows.set(id, (w = new Map()))
    return w
  }
  const prune = (w: Map<number, RateLimitWindow>, now: number) => {
    for (const at of w.keys()) if (at < now - HISTORY_MS) w.delete(at)
  }

  return {
    record({ profileId, baseUrl }, snapshot) {
      if (snapshot.tier !== 'post-auth') return put(byBase, baseUrl, snapshot)
      put(byTenant, profileId, snapshot)
      const w = windowsOf(profileId)
      const win = w.get(snapshot.resetAt) ?? {
        resetAt: snapshot.resetAt,
        limit: snapshot.limit,
        requests: 0,
        lowestRemaining: snapshot.remaining,
        rateLimited: 0
      }
      win.requests++
      win.limit = snapshot.limit
      win.lowestRemaining = Math.min(win.lowestRemaining, snapshot.remaining)
      w.set(snapshot.resetAt, win)
      prune(w, snapshot.observedAt)
      for (const l of listeners) l(profileId, snapshot)
    },
    noteRateLimited(profileId, at) {
      const w = windowsOf(profileId)
      const current = byTenant.get(profileId)
      const resetAt = current && current.resetAt > at ? current.resetAt : at
      const win = w.get(resetAt) ?? { resetAt, limit: current?.limit ?? 0, requests: 0, lowestRemaining: 0, rateLimited: 0 }
      win.rateLimited++
      win.lowestRemaining = 0
      w.set(resetAt, win)
    },
    forTenant: (id) => byTenant.get(id),
    forBaseUrl: (url) => byBase.get(url),
    history(id, now) {
      const w = windowsOf(id)
      prune(w, now)
      return [...w.values()].sort((a, b) => a.resetAt - b.resetAt).map((x) => ({ ...x }))
    },
    restoreHistory(id, list) {
      const w = windowsOf(id)
      for (const win of list) if (!w.has(win.resetAt)) w.set(win.resetAt, { ...win })
    },
    forget(id) {
      byTenant.delete(id)
      windows.delete(id)
    },
    onReading: (listener) => void listeners.push(listener)
  }
}
