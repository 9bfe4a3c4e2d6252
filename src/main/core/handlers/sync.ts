import type { Handlers } from '../router'
import type { FleetSync } from '../sync/fleet-sync'

type SyncHandlers = Pick<Handlers, 'sync.status' | 'sync.all' | 'sync.cancel'>

/** Background sync of the fleet: progress and freshness, Sync all now, Cancel. */
export function syncHandlers(d: { fleetSync: FleetSync }): SyncHandlers {
  return {
    'sync.status': async () => ({ data: await d.fleetSync.status() }),
    'sync.all': async () => {
      // Set up, not awaited to its end: the status bar follows it ("Syncing 12 of 50 tenants").
      await d.fleetSync.syncAll('manual')
      return { data: await d.fleetSync.status() }
    },
    'sync.cancel': async () => {
      d.fleetSync.cancel()
      return { data: await d.fleetSync.status() }
    }
  }
}
