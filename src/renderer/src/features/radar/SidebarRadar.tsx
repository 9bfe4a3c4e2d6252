import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { qk } from '../../lib/query-keys'
import { radarKeys, useRadarSummary } from './queries'
import { useRadarUi } from './radar-store'
import { findingsLabel } from './words'
import './radar.css'

/**
 * The radar's counts change when a tenant's keys reach the store: whenever the sidebar's stored
 * counts are read again (a sync happened), the radar is too.
 */
function useRadarFollowsStore() {
  const qc = useQueryClient()
  useEffect(
    () =>
      qc.getQueryCache().subscribe((e) => {
        if (e.type === 'updated' && e.action.type === 'success' && e.query.queryKey.join('/') === qk.fleetCounts.join('/')) {
          void qc.invalidateQueries({ queryKey: radarKeys.summary })
        }
      }),
    [qc]
  )
}

/** The sidebar's first entry: the fleet radar (shortcut g then r), with the fleet's total. */
export function RadarEntry() {
  useRadarFollowsStore()
  const open = useRadarUi((s) => s.open)
  const summary = useRadarSummary()
  const total = summary.data?.tenants.reduce((n, t) => n + t.findings, 0) ?? null
  return (
    <button
      type="button"
      className={`radar-entry ${open ? 'active' : ''}`}
      aria-current={open ? 'page' : undefined}
      aria-describedby={total !== null ? 'radar-entry-total' : undefined}
      title="Radar — g then r"
      onClick={() => useRadarUi.getState().openRadar()}
    >
      <svg viewBox="0 0 16 16" aria-hidden="true" className="radar-icon">
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <circle cx="8" cy="8" r="3" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M8 8 13 3" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
      <span>Radar</span>
      {total !== null && (
        <span id="radar-entry-total" className="radar-count">
          {findingsLabel(total)}
        </span>
      )}
    </button>
  )
}

/** A tenant's findings in the sidebar ("3 findings"); it opens the radar for that tenant. */
export function FindingsBadge({ tenant, label }: { tenant: string; label: string }) {
  const summary = useRadarSummary()
  const n = summary.data?.tenants.find((t) => t.id === tenant)?.findings ?? 0
  if (!n) return null
  return (
    <button
      type="button"
      className="findings-badge"
      aria-label={`${findingsLabel(n)} in ${label}`}
      title={`${findingsLabel(n)} in ${label} — open the radar for ${label}`}
      onClick={() => useRadarUi.getState().openRadar({ tenant })}
    >
      {n.toLocaleString()}
    </button>
  )
}
