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

/** "3 hours ago", "in 5 days". */
export function relativeTime(iso: string | number, now: number): string {
  const t = typeof iso === 'number' ? iso : Date.parse(iso)
  const diff = t - now
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') {
      if (unit === 'second' && Math.abs(diff) < 45e3) return diff < 0 ? 'just now' : 'in a few seconds'
      return rtf.format(Math.round(diff / ms), unit)
    }
  }
  return ''
}

/** The exact UTC time for hover titles: "2026-01-15 10:00:00 UTC". */
export function exactUtc(iso: string | number): string {
  const d = new Date(iso)
  return `${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`
}

/** Local wall-clock time on a 24-hour clock: "14:02" (unambiguous in a status line). */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
}
