import { onlineManager, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { EventBatch, KeyDeskEvent } from '../../../shared/events'
import { api } from '../lib/api'
import { setEventLink } from '../lib/event-link'
import { fleetStoreChanged } from '../lib/fleet-store-reads'
import { markRevoked } from '../lib/key-cache'
import { qk } from '../lib/query-keys'
import { useToasts, type ToastTone } from '../ui/Toast'
import { radarKeys } from '../features/radar'
import { setTenantStatus } from '../features/tenants'

type Say = (text: string, tone: ToastTone) => void

/** A key no longer live: every view that shows it or a consequence of it asks again. */
function keyRevoked(qc: QueryClient, tenant: string, ids: string[]) {
  markRevoked(qc, tenant, ids)
  // The rotation-pending banner, the schedule cell and "revoke overdue", the away notice.
  void qc.invalidateQueries({ queryKey: qk.rotations(tenant) })
  void qc.invalidateQueries({ queryKey: qk.schedules(tenant) })
  void qc.invalidateQueries({ queryKey: qk.fleetSchedules })
  void qc.invalidateQueries({ queryKey: qk.scheduleAway })
}

/**
 * What one event makes stale, and nothing more: the store's readers of its tenant (search all,
 * radar, counts; fleetStoreChanged), a key's row patched in the cached list, the journal (the
 * detail panel's too), a schedule list, a bulk job, the unlocks. Returns the tenants whose store
 * changed, so a batch asks the store's readers once.
 */
export function applyEvent(qc: QueryClient, e: KeyDeskEvent, say: Say): string | null {
  switch (e.type) {
    case 'tenant.status':
      setTenantStatus(qc, e.tenant, e.status)
      return null
    case 'store.changed':
      if (e.revoked?.length) keyRevoked(qc, e.tenant, e.revoked)
      if (e.revoked || e.written) void qc.invalidateQueries({ queryKey: qk.journal })
      return e.tenant
    case 'job.progress':
      // Its reader (features/bulk) marks what it revoked and follows it to its end.
      void qc.invalidateQueries({ queryKey: qk.bulkJob(e.jobId) })
      return null
    case 'schedule.ran':
      if (e.outcome === 'revoked') keyRevoked(qc, e.tenant, [e.keyId])
      else {
        void qc.invalidateQueries({ queryKey: qk.schedules(e.tenant) })
        void qc.invalidateQueries({ queryKey: qk.fleetSchedules })
        void qc.invalidateQueries({ queryKey: qk.scheduleAway })
      }
      void qc.invalidateQueries({ queryKey: qk.journal })
      if (e.outcome === 'revoked') say(`Scheduled revoke ran: ${e.keyName} in ${e.tenantLabel}`, 'info')
      else if (e.outcome === 'failed') say(`Scheduled revoke failed: ${e.keyName} in ${e.tenantLabel}`, 'error')
      return e.outcome === 'retrying' ? null : e.tenant
    case 'schedules.changed':
      // Set, cancelled or claimed, from whatever path: each is journaled too.
      void qc.invalidateQueries({ queryKey: qk.schedules(e.tenant) })
      void qc.invalidateQueries({ queryKey: qk.fleetSchedules })
      void qc.invalidateQueries({ queryKey: qk.journal })
      return null
    case 'notice':
      // Expiry, headroom or outside changes: the radar's findings may have moved.
      void qc.invalidateQueries({ queryKey: radarKeys.all })
      return null
    case 'sync.changed':
      // Its follower (lib/sync.ts) turns what moved into the tenant list and store reads it changes.
      void qc.invalidateQueries({ queryKey: qk.syncStatus })
      return null
    case 'unlock.changed':
      void qc.invalidateQueries({ queryKey: qk.unlocks })
      void qc.invalidateQueries({ queryKey: qk.journal })
      return null
  }
}

export function applyEvents(qc: QueryClient, batch: EventBatch, say: Say) {
  const stored = new Set<string>()
  for (const e of batch.events) {
    const tenant = applyEvent(qc, e, say)
    if (tenant) stored.add(tenant)
  }
  if (stored.size) fleetStoreChanged(qc, stored)
}

/**
 * Mounted once by the frame: hears main's events and keeps the link's state. While the link is
 * lost (the web preview's server stopped), React Query is told the network is gone, so no poll
 * fires into a dead server; it resumes when the stream is back.
 */
export function useLiveEvents() {
  const qc = useQueryClient()
  useEffect(() => {
    const say: Say = (text, tone) => useToasts.getState().show(text, tone)
    return api().events.subscribe(
      (batch) => applyEvents(qc, batch, say),
      (link) => {
        setEventLink(link)
        onlineManager.setOnline(link === 'open')
      }
    )
  }, [qc])
}
