import { useCallback, useState, useSyncExternalStore } from 'react'

/**
 * The current time, refreshed every `everyMs`. One timer per interval is shared by every
 * component that asks (hundreds of relative times in the table do not each start their own).
 */
interface Clock {
  subscribe: (listener: () => void) => () => void
  read: () => number
}
const clocks = new Map<number, Clock>()

function makeClock(everyMs: number): Clock {
  let now = Date.now()
  let timer: ReturnType<typeof setInterval> | undefined
  const listeners = new Set<() => void>()
  return {
    subscribe(listener) {
      listeners.add(listener)
      if (!timer) {
        timer = setInterval(() => {
          now = Date.now()
          for (const l of listeners) l()
        }, everyMs)
      }
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0 && timer) {
          clearInterval(timer)
          timer = undefined
        }
      }
    },
    read: () => now
  }
}

function clockFor(everyMs: number): Clock {
  let c = clocks.get(everyMs)
  if (!c) clocks.set(everyMs, (c = makeClock(everyMs)))
  return c
}

export function useNow(everyMs = 1000): number {
  const c = clockFor(everyMs)
  // A newcomer reads the time now, not at the last tick: an entry written a second ago must not
  // read "in a few seconds". Its own first render's time, not the shared clock moved on subscribe:
  // moving the shared value made React render every newcomer twice (its snapshot changed under it),
  // rows of the keys table included, on every tenant switch and keystroke.
  const [since] = useState(Date.now)
  const read = useCallback(() => Math.max(c.read(), since), [c, since])
  return useSyncExternalStore(c.subscribe, read)
}
