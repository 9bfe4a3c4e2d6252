import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { Headroom, RateLimitWindow } from '../../../shared/ratelimit'
import type { TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { api, unwrap } from '../lib/api'
import { forecast } from '../lib/forecast'
import { qk, useHeadroom } from '../lib/queries'
import { useUi } from '../lib/store'
import { clockTime } from '../lib/time'
import { useNow } from '../lib/use-now'

/** Requests per window as bars, lowest remaining as a line, 429s in red: the last hour. */
function HistoryChart({ history, limit }: { history: RateLimitWindow[]; limit: number }) {
  const W = 640
  const H = 140
  if (history.length === 0) return <p className="muted">No requests in the last hour yet.</p>
  const max = Math.max(limit, ...history.map((w) => w.requests), 1)
  const bw = Math.max(3, Math.min(24, (W - 20) / history.length - 2))
  const x = (i: number) => 10 + i * (bw + 2)
  const y = (v: number) => H - 16 - (v / max) * (H - 28)
  const line = history.map((w, i) => `${i ? 'L' : 'M'}${x(i) + bw / 2},${y(w.lowestRemaining)}`).join(' ')
  const total429 = history.reduce((n, w) => n + w.rateLimited, 0)
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Last hour: ${history.length} windows, ${history.reduce((n, w) => n + w.requests, 0)} requests, ${total429} rate-limited`}>
        <line x1="0" x2={W} y1={y(limit)} y2={y(limit)} className="chart-limit" />
        {history.map((w, i) => (
          <rect key={w.resetAt} x={x(i)} y={y(w.requests)} width={bw} height={Math.max(1, H - 16 - y(w.requests))} className={w.rateLimited ? 'chart-bar chart-429' : 'chart-bar'}>
            <title>{`${clockTime(w.resetAt)}: ${w.requests} requests, lowest remaining ${w.lowestRemaining}${w.rateLimited ? `, ${w.rateLimited} × 429` : ''}`}</title>
          </rect>
        ))}
        <path d={line} className="chart-line" />
      </svg>
      <figcaption className="muted">Bars: requests per window · line: lowest remaining · red: windows with 429s · dashed: the limit</figcaption>
    </figure>
  )
}

export function HeadroomPanel({ tenant, tenants }: { tenant: TenantView | null; tenants: TenantView[] }) {
  const close = useUi((s) => s.closeDialog)
  const qc = useQueryClient()
  const now = useNow(1000)
  const headroom = useHeadroom(tenant?.id ?? null)
  const overview = useQuery({ queryKey: qk.overview, queryFn: async () => unwrap(await api().ratelimit.overview()), refetchInterval: 2000 })
  const settings = useQuery({ queryKey: ['settings'], queryFn: async () => unwrap(await api().settings.get()) })
  const saveSettings = useMutation({
    mutationFn: async (patch: { headroomAlertFraction?: number; probeIntervalSeconds?: number }) => unwrap(await api().settings.update(patch)),
    onSuccess: (s) => qc.setQueryData(['settings'], s)
  })
  const [watch, setWatch] = useState(0)

  // Live watch: one real request per interval, only while this panel is open.
  useEffect(() => {
    if (!watch || !tenant) return
    const t = setInterval(() => {
      void api()
        .ratelimit.probe({ tenant: tenant.id })
        .then(() => qc.invalidateQueries({ queryKey: qk.headroom(tenant.id) }))
    }, watch * 1000)
    return () => clearInterval(t)
  }, [watch, tenant, qc])

  const h: Headroom | undefined = headroom.data
  const cur = h?.current ?? null
  const live = cur && cur.resetAt > now
  const f = forecast(h?.history ?? [], cur, now)
  const labelOf = (id: string) => tenants.find((t) => t.id === id)?.label ?? id
  const threshold = Math.round((settings.data?.headroomAlertFraction ?? 0.1) * 100)

  return (
    <Dialog title="Rate-limit headroom" onClose={close} wide>
      {tenant && (
        <section aria-label={`Headroom of ${tenant.label}`} className="form">
          <h3>{tenant.label}</h3>
          {cur ? (
            <p>
              <strong>
                {live ? cur.remaining : cur.limit} of {cur.limit}
              </strong>{' '}
              requests left in this window{live ? `; it resets in ${Math.ceil((cur.resetAt - now) / 1000)} s` : ' (the window has reset)'}. {f.text}
            </p>
          ) : (
            <p className="muted">No reading yet: the meter fills in after the first call to this tenant.</p>
          )}
          <HistoryChart history={h?.history ?? []} limit={cur?.limit ?? 1000} />
          <div className="status-filters" style={{ alignItems: 'center', gap: 12 }}>
            <label>
              <input type="checkbox" checked={watch > 0} onChange={(e) => setWatch(e.target.checked ? 15 : 0)} /> Live watch
            </label>
            <label>
              every{' '}
              <select aria-label="Probe interval" value={watch || 15} disabled={!watch} onChange={(e) => setWatch(Number(e.target.value))}>
                {[5, 15, 30, 60].map((s) => (
                  <option key={s} value={s}>
                    {s} s
                  </option>
                ))}
              </select>
            </label>
            <span className="hint muted">Each probe costs one request of this tenant&apos;s limit.</span>
          </div>
        </section>
      )}
      <label className="field" style={{ maxWidth: 360 }}>
        <span>Notify me when headroom falls below (%)</span>
        <input
          type="number"
          min={0}
          max={100}
          value={threshold}
          onChange={(e) => saveSettings.mutate({ headroomAlertFraction: Math.min(100, Math.max(0, Number(e.target.value) || 0)) / 100 })}
        />
      </label>
      <table className="plain-table" aria-label="All tenants">
        <thead>
          <tr>
            <th>Tenant</th>
            <th>Remaining</th>
            <th>Resets in</th>
            <th>429s (last hour)</th>
          </tr>
        </thead>
        <tbody>
          {(overview.data?.tenants ?? []).map((t) => {
            const c = t.current
            const on = c && c.resetAt > now
            return (
              <tr key={t.tenant}>
                <td>{labelOf(t.tenant)}</td>
                <td>{c ? `${on ? c.remaining : c.limit} / ${c.limit}` : '—'}</td>
                <td>{on ? `${Math.ceil((c.resetAt - now) / 1000)} s` : '—'}</td>
                <td>{t.history.reduce((n, w) => n + w.rateLimited, 0)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </Dialog>
  )
}
