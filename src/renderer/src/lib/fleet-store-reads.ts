import type { QueryClient } from '@tanstack/react-query'
import { qk } from './query-keys'

/**
 * Main wrote to its fleet store (a revoke, a create, a bulk or scheduled revoke): every answer
 * read from the store is asked for again. Main's store is already right after the write, so no
 * tenant is re-listed from MeshQu to put it right. The writing hook still patches its own cached
 * key list in place, which is what makes the UI instant.
 */
export function fleetStoreChanged(qc: QueryClient, tenants: Iterable<string>) {
  void qc.invalidateQueries({ queryKey: qk.searchAllAny })
  void qc.invalidateQueries({ queryKey: qk.fleetCounts })
  void qc.invalidateQueries({ queryKey: qk.radarSummary })
  void qc.invalidateQueries({ queryKey: qk.radarKeysAny })
  for (const tenant of tenants) {
    // Placeholders for a cold switch, ~4 MB per 10,000 keys: marked stale and read when next
    // shown, not now (the list on screen is patched in place).
    void qc.invalidateQueries({ queryKey: qk.storedKeys(tenant), refetchType: 'none' })
    void qc.invalidateQueries({ queryKey: qk.storedHead(tenant), refetchType: 'none' })
  }
}
