/**
 * Server state's keys, shared because several features read or update the same entries (the keys
 * list is patched by single, bulk and rotation writes). Every key that concerns a tenant starts
 * with ['tenant', id], so one tenant's rows can never be served under another tenant's header,
 * however fast the operator switches, and a removed tenant's entries go with one call.
 */
export const qk = {
  appInfo: ['app', 'info'] as const,
  tenants: ['tenants'] as const,
  tenant: (tenant: string) => ['tenant', tenant] as const,
  keys: (tenant: string) => ['tenant', tenant, 'keys'] as const,
  headroom: (tenant: string) => ['tenant', tenant, 'headroom'] as const,
  audit: (tenant: string) => ['tenant', tenant, 'audit'] as const,
  rotations: (tenant: string) => ['tenant', tenant, 'rotations'] as const,
  /** The tenant's last synced list from the store: painted while the network answers. */
  storedKeys: (tenant: string) => ['tenant', tenant, 'stored-keys'] as const,
  /** Its first rows in the default sort (keys.fromStoreHead): painted while the list in the fleet store crosses. */
  storedHead: (tenant: string) => ['tenant', tenant, 'stored-head'] as const,
  overview: ['headroom', 'overview'] as const,
  settings: ['settings'] as const,
  fleetCounts: ['fleet', 'counts'] as const,
  storeStatus: ['store', 'status'] as const,
  bulkJob: (jobId: string | null) => ['bulk', jobId ?? '-'] as const,
  searchAll: (text: string, scope: string) => ['search-all', text, scope] as const,
  /** Every search-all answer (all texts and scopes): read again after a write to the fleet store. */
  searchAllAny: ['search-all'] as const,
  /** The radar's counts and drill-downs, both read from the fleet store (radar/queries.ts builds on these). */
  radarSummary: ['radar', 'summary'] as const,
  radarKeysAny: ['radar', 'keys'] as const,
  /** The operator journal: every write adds entries, so every settled write invalidates `journal`. */
  journal: ['journal'] as const,
  journalList: (filter: object) => ['journal', 'list', filter] as const,
  journalForKey: (tenant: string, keyId: string) => ['journal', 'key', tenant, keyId] as const,
  schedules: (tenant: string) => ['tenant', tenant, 'schedules'] as const,
  /** Every tenant's waiting and running schedules (the radar's list). */
  fleetSchedules: ['schedules', 'fleet'] as const,
  scheduleAway: ['schedule', 'away'] as const,
  /** The fleet sync's progress, each tenant's freshness and status, each host's reachability. */
  syncStatus: ['sync', 'status'] as const,
  /** Unlocks of read-only tenants' writes (main's memory). */
  unlocks: ['unlocks'] as const
}
