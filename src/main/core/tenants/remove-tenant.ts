import type { HeadroomAlerts } from '../ratelimit/alerts'
import type { Scheduler } from '../ratelimit/scheduler'
import type { RateLimitTracker } from '../ratelimit/tracker'
import type { BulkRevoker } from '../jobs/bulk-revoke'
import type { RevealSlots } from '../secrets/reveal-slots'
import type { FleetStore } from '../store/fleet-store'
import type { ProfileStore } from './profile-store'
import type { AdminKeys } from './admin-keys'
import type { TenantSessions } from './sessions'
import type { TenantStatusBook } from './status'
import type { Unlocks } from './unlocks'

/** Every place main keeps something of a tenant. A new store joins here, or removal leaves it behind. */
export interface TenantHoldings {
  store: Pick<FleetStore, 'removeTenant'>
  adminKeys: Pick<AdminKeys, 'remove'>
  profiles: Pick<ProfileStore, 'remove'>
  sessions: Pick<TenantSessions, 'forget'>
  tracker: Pick<RateLimitTracker, 'forget'>
  status: Pick<TenantStatusBook, 'forget'>
  scheduler: Pick<Scheduler, 'forget'>
  bulk: Pick<BulkRevoker, 'forgetTenant'>
  slots: Pick<RevealSlots, 'discardTenant'>
  alerts: Pick<HeadroomAlerts, 'forget'>
  unlocks: Pick<Unlocks, 'end'>
}

/**
 * The one routine that removes a tenant from KeyDesk: its rows in the fleet store, its admin key
 * in the keychain, its profile, and everything held in memory (session and key, rate-limit
 * readings, status, pacing, bulk jobs, reveal slots, alerts).
 */
export function createTenantRemoval(h: TenantHoldings) {
  return async function removeTenant(tenant: string): Promise<void> {
    // The store first: if it cannot be opened (locked keychain) nothing is removed yet, and the
    // operator gets the reason instead of a tenant whose keys linger in the store.
    await h.store.removeTenant(tenant)
    // Then the keychain before the profile: a profile left without its key is visible and can be
    // removed again; a key left without a profile would be invisible.
    await h.adminKeys.remove(tenant)
    await h.profiles.remove(tenant)
    // Jobs before the session, so a running job stops instead of opening a new session.
    h.bulk.forgetTenant(tenant)
    h.sessions.forget(tenant)
    h.slots.discardTenant(tenant)
    h.tracker.forget(tenant)
    h.scheduler.forget(tenant)
    h.status.forget(tenant)
    h.alerts.forget(tenant)
    await h.unlocks.end(tenant, 'removed')
  }
}

export type RemoveTenant = ReturnType<typeof createTenantRemoval>
