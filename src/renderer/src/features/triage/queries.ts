import { useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api'
import { fleetStoreChanged } from '../../lib/fleet-store-reads'
import { qk } from '../../lib/query-keys'

/**
 * The pasted text is sent with a plain call, never through React Query: a mutation would keep
 * its variables (the text) in the query client's cache after the field was cleared.
 */
export async function startTriage(text: string) {
  return unwrap(await api().triage.start({ text }))
}

/** Main forgets the session's keys (the dialog closed); nothing to wait for. */
export function closeTriage(sessionId: string) {
  void api().triage.close({ sessionId })
}

/** After Contain: what it changed (the tenant's keys, the journal, unlocks). */
export function useAfterContain() {
  const qc = useQueryClient()
  return (tenant: string) => {
    void qc.invalidateQueries({ queryKey: qk.journal })
    void qc.invalidateQueries({ queryKey: qk.keys(tenant) })
    void qc.invalidateQueries({ queryKey: qk.unlocks })
    fleetStoreChanged(qc, [tenant])
  }
}
