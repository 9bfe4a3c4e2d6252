import type { ScheduleHold } from '../../../shared/schedule'

export interface ClockWatchDeps {
  /** The wall clock due times are compared with. */
  now: () => number
  /** A clock that only moves forward at the rate of real time (performance.now), whatever the wall clock does. */
  monotonic: () => number
  /** How far the wall clock may run ahead of real time between two readings (drift, slewing). Default 60 s. */
  toleranceMs?: number
}

/**
 * Whether the wall clock can be trusted to fire scheduled revokes. Due times are wall-clock
 * times, so a wall clock stepped forward (a bad clock at boot corrected by NTP, an operator's
 * typo) would fire at once everything due within the step, and a revoke cannot be undone. Between
 * two readings the wall clock must advance as far as real time did (monotonic time); when it ran
 * ahead by more than the tolerance, the runner holds until the operator confirms the clock
 * (`resume`) or the wall clock comes back to agree with the last trusted reading. A step back only
 * delays revokes, so it is accepted.
 *
 * What it cannot see: a clock that was already wrong when KeyDesk started (there is no earlier
 * reading in this process). Those rows run as "came due while KeyDesk was closed", reported.
 */
export function createClockWatch(d: ClockWatchDeps) {
  const tolerance = d.toleranceMs ?? 60_000
  /** The last reading both clocks agreed on. */
  let trusted = { wall: d.now(), mono: d.monotonic() }
  let hold: ScheduleHold | null = null

  return {
    /**
     * Reads both clocks. `began` is true on the reading that started a hold, `ended` on the one
     * where the clocks agree again.
     */
    observe(): { hold: ScheduleHold | null; began: boolean; ended: boolean } {
      const wall = d.now()
      const mono = d.monotonic()
      const ahead = wall - trusted.wall - (mono - trusted.mono)
      if (ahead > tolerance) {
        if (hold) return { hold, began: false, ended: false }
        const jumpMs = Math.round(ahead)
        hold = {
          since: wall,
          jumpMs,
          trustedAt: trusted.wall + (mono - trusted.mono),
          reason: `The system clock moved ${describe(jumpMs)} ahead of the time that really passed. Scheduled revokes are held: check the clock, then run them.`
        }
        return { hold, began: true, ended: false }
      }
      const ended = hold !== null
      hold = null
      trusted = { wall, mono }
      return { hold: null, began: false, ended }
    },
    /** The operator confirmed the wall clock: it is trusted from now on. */
    resume(): boolean {
      const was = hold !== null
      hold = null
      trusted = { wall: d.now(), mono: d.monotonic() }
      return was
    },
    hold: () => hold
  }
}

export type ClockWatch = ReturnType<typeof createClockWatch>

function describe(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes < 120) return `${minutes} min`
  const hours = Math.round(ms / 3_600_000)
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`
}
