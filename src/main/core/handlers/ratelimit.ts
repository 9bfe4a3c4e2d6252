import type { Headroom } from '../../../shared/ratelimit'
import type { Handlers } from '../router'
import type { FleetStore } from '../store/fleet-store'
import type { RateLimitTracker } from '../ratelimit/tracker'
import type { Scheduler } from '../ratelimit/scheduler'
import type { ProfileStore } from '../tenants/profile-store'
import type { TenantSessions } from '../tenants/sessions'

export function rateLimitHandlers(d: {
  tracker: RateLimitTracker
  scheduler: Scheduler
  sessions: TenantSessions
  profiles: ProfileStore
  store: FleetStore
  now: () => number
}): Pick<Handlers, 'ratelimit.status' | 'ratelimit.overview' | 'ratelimit.probe'> {
  const restored = new Set<string>()

  async function headroom(tenant: string): Promise<Headroom> {
    const profile = await d.profiles.get(tenant)
    // After a restart the last hour's windows come back from the store, once.
    if (!restored.has(tenant)) {
      restored.add(tenant)
      const windows = await d.store.history(tenant).catch(() => [])
      d.tracker.restoreHistory(tenant, windows)
    }
    const pacing = d.scheduler.state(tenant)
    return {
      tenant,
      current: d.tracker.forTenant(tenant) ?? null,
      preAuth: profile ? (d.tracker.forBaseUrl(profile.baseUrl) ?? null) : null,
      pacing: { waitingUntil: pacing.waitingUntil, reason: pacing.reason },
      history: d.tracker.history(tenant, d.now())
    }
  }

  return {
    'ratelimit.status': async ({ tenant }) => ({ data: await headroom(tenant) }),
    'ratelimit.overview': async () => ({
      data: { tenants: await Promise.all((await d.profiles.list()).map((p) => headroom(p.id))) }
    }),
    'ratelimit.probe': async ({ tenant }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.listKeys({ limit: 1 })
      return { data: await headroom(tenant), meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
    }
  }
}
