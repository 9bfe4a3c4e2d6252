import type { ReactNode } from 'react'
import { exactUtc, relativeTime } from '../lib/time'
import { useNow } from '../lib/use-now'

/**
 * Relative time with the exact UTC time on hover. A value is an event that already happened
 * (created, used, synced, counted) unless `ahead` says it may lie in the future (an expiry, a due
 * time): a past event a few seconds ahead of this machine's clock still reads "just now", never
 * "in a few seconds".
 * `children` replace the relative words where the caller has its own (a countdown from main's
 * clock, a local wall-clock time): the hover still gives the exact UTC time.
 */
export function Time({
  value,
  never = 'never',
  ahead,
  children
}: {
  value: string | number | null
  never?: string
  ahead?: boolean
  children?: ReactNode
}) {
  const now = useNow(30_000)
  if (value === null) return <span className="muted">{never}</span>
  return (
    <time dateTime={new Date(value).toISOString()} title={exactUtc(value)}>
      {children ?? relativeTime(value, now, { past: !ahead })}
    </time>
  )
}
