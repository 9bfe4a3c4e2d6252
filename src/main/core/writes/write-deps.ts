import type { EmitEvent } from '../events/bus'
import type { Journal } from '../journal/journal'
import type { Logger } from '../log'
import type { FleetStore } from '../store/fleet-store'
import type { ProfileStore } from '../tenants/profile-store'
import type { TenantSessions } from '../tenants/sessions'

/** What a key write needs: the tenant's session for MeshQu, the journal, and the fleet store it keeps true. */
export interface WriteDeps {
  sessions: TenantSessions
  store: FleetStore
  journal: Journal
  profiles: ProfileStore
  log: Logger
  now: () => number
  /** A write's outcome is unknown: the list that settles it is started at once (sync/fleet-sync.ts). */
  onUnknown?: (tenant: string) => void
  /** Tells the renderer which keys changed in the store (events/bus.ts); absent in tests of one piece. */
  emit?: EmitEvent
}
