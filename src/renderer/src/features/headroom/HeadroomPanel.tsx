import { useId, useState, type FormEvent } from 'react'
import type { Headroom, RateLimitSnapshot, RateLimitWindow } from '../../../../shared/ratelimit'
import type { TenantView } from '../../../../shared/tenants'
import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { useUi } from '../../lib/store'
import { clockTime, exactUtc } from '../../lib/time'
import { useNow } from '../../lib/use-now'
import { Dialog } from '../../ui/Dialog'
import { EnvBadge } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { Meter } from '../../ui/Meter'
import { forecast, windowLengthMs } from './forecast'
import { useHeadroom, useHeadroomOverview, useLiveWatch } from './queries'
import { useSaveSettings, useSettings } from '../../lib/settings'
import { CloseFooter } from '../../ui/CloseFooter'

const HOUR = 3600_000
const PROBE_INTERVALS = [5, 15, 30, 60] as const

/** What the reading says now: after the reset the whole limit is back. */
function remainingNow(s: RateLimitSnapshot, now: number) {
  return s.resetAt > now ? s.remaining : s.limit
}
const secondsUntil = (at: number, now: number) => Math.max(0, Math.ceil((at - now) / 1000))
const lastHour = (history: readonly RateLimitWindow[], now: number) => history.filter((w) => w.resetAt > now - HOUR)
const count429 = (history: readonly RateLimitWindow[], now: number) => lastHour(history, now).reduce((n, w) => n + w.rateLimited, 0)

/** The last hour on a time axis: requests per window as bars, lowest remaining as a line, 429s in red. */
function HistoryChart({ history, limit, now, tenantLabel }: { history: RateLimitWindow[]; limit: number; now: number; tenantLabel: string }) {
  const windows = lastHour(history, now)
  if (windows.length === 0) return <p className="muted">No requests to {tenantLabel} in the last hour yet.</p>
  const W = 640
  const H = 160
  const PAD_L = 36
  const PAD_R = 8
  const PAD_T = 10
  const PAD_B = 20
  const len = windowLengthMs(history)
  const from = now - HOUR
  const max = Math.max(limit, ...windows.map((w) => w.requests), 1)
  const x = (t: number) => PAD_L + (Math.max(0, t - from) / HOUR) * (W - PAD_L - PAD_R)
  const y = (v: number) => H - PAD_B - (v / max) * (H - PAD_T - PAD_B)
  const bw = Math.max(1, x(from + len) - x(from) - 1)
  const requests = windows.reduce((n, w) => n + w.requests, 0)
  const limited = windows.reduce((n, w) => n + w.rateLimited, 0)
  const lowest = Math.min(...windows.map((w) => w.lowestRemaining))
  const line = windows.map((w, i) => `${i ? 'L' : 'M'}${x(w.resetAt - len / 2).toFixed(1)},${y(w.lowestRemaining).toFixed(1)}`).join(' ')
  const summary =
    `Last hour of ${tenantLabel}: ${windows.length} windows with requests, ${requests} requests in all, ` +
    `lowest remaining ${lowest} of ${limit}, ${limited === 0 ? 'no' : limited} rate-limited (429) ${limited === 1 ? 'response' : 'responses'}.`
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <line x1={PAD_L} x2={W - PAD_R} y1={y(limit)} y2={y(limit)} className="chart-limit" />
        <line x1={PAD_L} x2={W - PAD_R} y1={y(0)} y2={y(0)} stroke="currentColor" strokeOpacity={0.3} />
        <text x={PAD_L - 4} y={y(limit) + 4} textAnchor="end" fontSize="10" fill="currentColor">
          {limit}
        </text>
        <text x={PAD_L - 4} y={y(0) + 4} textAnchor="end" fontSize="10" fill="currentColor">
          0
        </text>
        <text x={PAD_L} y={H - 4} fontSize="10" fill="currentColor">
          {clockTime(from)}
        </text>
        <text x={W - PAD_R} y={H - 4} textAnchor="end" fontSize="10" fill="currentColor">
          now
        </text>
        {windows.map((w) => (
          <g key={w.resetAt}>
            <rect
              x={x(w.resetAt - len)}
              y={y(w.requests)}
              width={bw}
              height={Math.max(1, y(0) - y(w.requests))}
              className={w.rateLimited ? 'chart-bar chart-429' : 'chart-bar'}
            >
              <title>{`${clockTime(w.resetAt)}: ${w.requests} requests, lowest remaining ${w.lowestRemaining}${w.rateLimited ? `, ${w.rateLimited} × 429` : ''}`}</title>
            </rect>
            {w.rateLimited > 0 && <circle cx={x(w.resetAt - len / 2)} cy={PAD_T - 4} r={3} className="chart-429" />}
          </g>
        ))}
        <path d={line} className="chart-line" />
      </svg>
      <figcaption className="muted">Bars: requests per window · line: lowest remaining · red: windows with 429s · dashed: the limit</figcaption>
      <table className="sr-only">
        <caption>Rate-limit windows of {tenantLabel} in the last hour</caption>
        <thead>
          <tr>
            <th scope="col">Window ended</th>
            <th scope="col">Requests</th>
            <th scope="col">Lowest remaining</th>
            <th scope="col">429s</th>
          </tr>
        </thead>
        <tbody>
          {windows.map((w) => (
            <tr key={w.resetAt}>
              <td>{exactUtc(w.resetAt)}</td>
              <td>{w.requests}</td>
              <td>
                {w.lowestRemaining} of {w.limit}
              </td>
              <td>{w.rateLimited}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

function Pacing({ headroom, now }: { headroom: Headroom; now: number }) {
  const { waitingUntil, reason } = headroom.pacing
  if (waitingUntil === null || waitingUntil <= now) return <p style={{ margin: 0 }}>Pacing: KeyDesk is sending requests without waiting.</p>
  const s = secondsUntil(waitingUntil, now)
  return (
    <p className="callout callout-warn" role="status">
      {reason === 'rate-limited' ? `Rate limited — resuming in ${s} s` : `Waiting for the rate-limit window (${s} s)`}
    </p>
  )
}

type PercentField = 'headroomAlertFraction' | 'reserveFraction'

/** A percent setting kept as a fraction in settings.json (the notification threshold, the reserve). */
function PercentSetting({ field, label, hint, max }: { field: PercentField; label: string; hint: string; max: number }) {
  const id = useId()
  const settings = useSettings()
  const save = useSaveSettings()
  const [draft, setDraft] = useState<string | null>(null)
  const saved = settings.data ? String(Math.round(settings.data[field] * 100)) : ''
  const value = draft ?? saved
  const parsed = Number(value)
  const invalid = value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > max
  const commit = () => {
    if (draft === null || invalid || draft === saved) return setDraft(invalid ? draft : null)
    save.mutate({ [field]: Math.round(parsed * 10) / 1000 }, { onSuccess: () => setDraft(null) })
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    commit()
  }
  return (
    <form onSubmit={submit} className="field" style={{ maxWidth: 420 }}>
      <label htmlFor={id}>
        <span style={{ fontWeight: 600, fontSize: 13 }}>{label}</span>
      </label>
      <span style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        <input
          id={id}
          type="number"
          min={0}
          max={max}
          step={1}
          value={value}
          disabled={!settings.data}
          aria-invalid={draft !== null && invalid}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          style={{ width: 90 }}
        />
        <span aria-hidden="true">%</span>
      </span>
      <span className="hint" id={`${id}-hint`}>
        {hint}
      </span>
      {draft !== null && invalid && <span className="field-error">Type a whole percent from 0 to {max}.</span>}
      {(settings.error || save.error) && (
        <span className="field-error" role="alert">
          {describeError(appErrorOf(settings.error ?? save.error))}
        </span>
      )}
    </form>
  )
}

export function HeadroomPanel({ tenant, tenants }: { tenant: TenantView | null; tenants: TenantView[] }) {
  const close = () => useUi.getState().closeDialog()
  const now = useNow(1000)
  const headroom = useHeadroom(tenant?.id ?? null)
  const overview = useHeadroomOverview()
  const [watching, setWatching] = useState(false)
  const [interval, setIntervalSeconds] = useState<number>(15)
  const probeError = useLiveWatch(tenant?.id ?? null, watching ? interval : null)
  const watchId = useId()

  const h = headroom.data
  const cur = h?.current ?? null
  const f = forecast(h?.history ?? [], cur, now)
  const labelOf = (id: string) => tenants.find((t) => t.id === id)?.label ?? id
  const rows = [...(overview.data?.tenants ?? [])].sort((a, b) => labelOf(a.tenant).localeCompare(labelOf(b.tenant)))

  return (
    <Dialog title="Rate-limit headroom" onClose={close} wide>
      <div className="form">
        {tenant ? (
          <section aria-label={`Headroom of ${tenant.label}`} className="form">
            <h3 style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              {tenant.label} <EnvBadge env={tenant.environment} />
            </h3>
            {cur ? (
              <>
                <div className="meter-group">
                  <Meter
                    label={`Headroom of ${tenant.label}`}
                    value={remainingNow(cur, now)}
                    max={cur.limit}
                    valueText={`${remainingNow(cur, now)} of ${cur.limit} requests left`}
                    style={{ width: 240 }}
                  />
                  <span className="meter-text">
                    {remainingNow(cur, now)} / {cur.limit}
                  </span>
                  <span className="muted" title={exactUtc(cur.resetAt)}>
                    {cur.resetAt > now ? `resets in ${secondsUntil(cur.resetAt, now)} s` : 'the window has reset'}
                  </span>
                </div>
                <p style={{ margin: 0 }}>{f.text}</p>
                {h?.preAuth && (
                  <p className="muted" style={{ margin: 0 }}>
                    Pre-auth tier: {remainingNow(h.preAuth, now)} / {h.preAuth.limit}
                  </p>
                )}
              </>
            ) : (
              <p className="muted" style={{ margin: 0 }}>
                No reading yet: the meter fills in after the first request to this tenant.
              </p>
            )}
            {h && <Pacing headroom={h} now={now} />}
            <ErrorCallout error={headroom.error} />
            <HistoryChart
              history={h?.history ?? []}
              limit={cur?.limit ?? Math.max(1, ...(h?.history ?? []).map((w) => w.limit))}
              now={now}
              tenantLabel={tenant.label}
            />
            <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 12 }}>
              <label>
                <input type="checkbox" checked={watching} onChange={(e) => setWatching(e.target.checked)} aria-describedby={`${watchId}-hint`} /> Live
                watch
              </label>
              <label>
                Probe every{' '}
                <select value={interval} onChange={(e) => setIntervalSeconds(Number(e.target.value))}>
                  {PROBE_INTERVALS.map((s) => (
                    <option key={s} value={s}>
                      {s} s
                    </option>
                  ))}
                </select>
              </label>
              <span className="hint muted" id={`${watchId}-hint`}>
                Each probe costs one request of {tenant.label}&apos;s limit; probing runs only while this panel is open.
              </span>
            </div>
            {probeError && (
              <p className="callout callout-danger" role="alert">
                {probeError}
              </p>
            )}
          </section>
        ) : (
          <p className="muted">Pick a tenant to see its headroom in detail.</p>
        )}
        <PercentSetting
          field="headroomAlertFraction"
          label="Notify me when headroom falls below"
          hint="Percent of the limit, for every tenant; 0 turns the notification off."
          max={100}
        />
        <PercentSetting
          field="reserveFraction"
          label="Reserve kept for your own clicks"
          hint="Percent of each window that bulk and background work never spends; they wait for the reset instead."
          max={50}
        />
        <table className="plain-table" aria-label="Headroom of all tenants">
          <thead>
            <tr>
              <th scope="col">Tenant</th>
              <th scope="col">Remaining / limit</th>
              <th scope="col">Resets in</th>
              <th scope="col">429s (last hour)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => {
              const c = t.current
              return (
                <tr key={t.tenant} aria-current={t.tenant === tenant?.id ? 'true' : undefined}>
                  <th scope="row" style={{ fontWeight: t.tenant === tenant?.id ? 700 : 400 }}>
                    {labelOf(t.tenant)}
                  </th>
                  <td>{c ? `${remainingNow(c, now)} / ${c.limit}` : '—'}</td>
                  <td>{c && c.resetAt > now ? `${secondsUntil(c.resetAt, now)} s` : '—'}</td>
                  <td>{count429(t.history, now)}</td>
                </tr>
              )
            })}
            {rows.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  {overview.isPending ? 'Loading…' : 'No tenant has a reading yet.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <ErrorCallout error={overview.error} />
        <CloseFooter onClose={close} />
      </div>
    </Dialog>
  )
}
