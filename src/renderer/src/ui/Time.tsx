import { exactUtc, relativeTime } from '../lib/time'
import { useNow } from '../lib/use-now'

/** Relative time with the exact UTC time on hover; `past` for events that already happened. */
export function Time({ value, never = 'never', past }: { value: string | number | null; never?: string; past?: boolean }) {
  const now = useNow(30_000)
  if (value === null) return <span className="muted">{never}</span>
  return (
    <time dateTime={new Date(value).toISOString()} title={exactUtc(value)}>
      {relativeTime(value, now, { past })}
    </time>
  )
}
