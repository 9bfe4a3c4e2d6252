const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600e3],
  ['month', 30 * 24 * 3600e3],
  ['week', 7 * 24 * 3600e3],
  ['day', 24 * 3600e3],
  ['hour', 3600e3],
  ['minute', 60e3],
  ['second', 1e3]
]
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

/**
 * "3 hours ago", "in 5 days". With `past`, the value is an event that already happened (created,
 * used, synced): a timestamp a few seconds ahead of this machine's clock (server clock skew) still
 * reads "just now", never "in a few seconds".
 */
export function relativeTime(iso: string | number, now: number, opts: { past?: boolean } = {}): string {
  const t = typeof iso === 'number' ? iso : Date.parse(iso)
  const diff = opts.past ? Math.min(0, t - now) : t - now
  if (Math.abs(diff) < 45e3) return diff <= 0 ? 'just now' : 'in a few seconds'
  for (const [unit, ms] of UNITS) {
    // A unit is used once the value rounds to at least one of it, so 59.6 s reads "1 minute ago",
    // never "60 seconds ago" (and 59.6 min "1 hour ago").
    const value = Math.round(diff / ms)
    if (Math.abs(diff) >= ms * 0.95 || unit === 'second') return rtf.format(value === 0 ? Math.sign(diff) : value, unit)
  }
  return ''
}

/** The exact UTC time for hover titles: "2026-01-15 10:00:00 UTC". */
export function exactUtc(iso: string | number): string {
  const d = new Date(iso)
  return `${d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`
}

// Built once: toLocaleTimeString with options builds a formatter on every call (the status bar
// calls it on every render).
const hhmm = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

/** Local wall-clock time on a 24-hour clock: "14:02" (unambiguous in a status line). */
export function clockTime(ms: number): string {
  return hhmm.format(ms)
}
