import type { RateLimitSnapshot } from '../../../shared/ratelimit'

/**
 * The latest headroom reading per tenant profile (post-authentication tier) and per base URL
 * (pre-authentication tier). Readings that arrive out of order never overwrite a newer one.
 */
export interface RateLimitTracker {
  record(key: { profileId: string; baseUrl: string }, snapshot: RateLimitSnapshot): void
  forTenant(profileId: string): RateLimitSnapshot | undefined
  forBaseUrl(baseUrl: string): RateLimitSnapshot | undefined
  forget(profileId: string): void
}

export function createRateLimitTracker(): RateLimitTracker {
  const byTenant = new Map<string, RateLimitSnapshot>()
  const byBase = new Map<string, RateLimitSnapshot>()
  const put = (map: Map<string, RateLimitSnapshot>, key: string, s: RateLimitSnapshot) => {
    const prev = map.get(key)
    if (!prev || prev.observedAt <= s.observedAt) map.set(key, s)
  }
  return {
    record({ profileId, baseUrl }, snapshot) {
      if (snapshot.tier === 'post-auth') put(byTenant, profileId, snapshot)
      else put(byBase, baseUrl, snapshot)
    },
    forTenant: (id) => byTenant.get(id),
    forBaseUrl: (url) => byBase.get(url),
    forget: (id) => void byTenant.delete(id)
  }
}
