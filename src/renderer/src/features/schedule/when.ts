import { SCHEDULE_MAX_AHEAD_MS, type ScheduleWhen } from '../../../../shared/schedule'

/** The choices of the schedule menu, in the order shown. `at` asks for a time. */
export const WHEN_CHOICES = [
  { value: '1h', label: 'In 1 hour' },
  { value: '24h', label: 'In 24 hours' },
  { value: '7d', label: 'In 7 days' },
  { value: 'at', label: 'At a chosen time' },
  { value: 'now', label: 'Now (at the next check)' }
] as const
export type WhenChoice = (typeof WHEN_CHOICES)[number]['value']

/** A datetime-local value ("2026-11-24T09:30", local time) for an epoch ms. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** The choice as the contract's `when`, or a sentence saying what is wrong with the chosen time. */
export function toWhen(choice: WhenChoice, localAt: string, now: number): ScheduleWhen | { error: string } {
  if (choice !== 'at') return { in: choice }
  const at = localAt ? new Date(localAt).getTime() : NaN
  if (!Number.isFinite(at)) return { error: 'Choose a date and time.' }
  if (at <= now) return { error: 'Choose a time in the future.' }
  if (at - now > SCHEDULE_MAX_AHEAD_MS) return { error: 'Choose a time within a year.' }
  return { at }
}

/** "revokes in 23 h", "revokes in 5 min", "overdue": the short form for the table. */
export function countdown(msUntilDue: number): string {
  if (msUntilDue <= 0) return 'due now'
  const min = Math.ceil(msUntilDue / 60_000)
  if (min < 60) return `in ${min} min`
  const h = Math.round(msUntilDue / 3_600_000)
  if (h < 48) return `in ${h} h`
  return `in ${Math.round(msUntilDue / 86_400_000)} d`
}
