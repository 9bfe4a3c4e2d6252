/**
 * Waits that stopping can end. Every background wait (pacing, retry backoff) takes the signal
 * its owner fires when it stops, so quitting never sits out a long pause, and no timer of an
 * abandoned wait keeps the process alive.
 */

/** Rejects with the signal's reason as soon as it fires (at once if it has). */
export function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p
  if (signal.aborted) return Promise.reject(signal.reason)
  let onAbort: () => void = () => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  return Promise.race([p, aborted]).finally(() => signal.removeEventListener('abort', onAbort))
}

/** setTimeout as a promise, its timer cleared when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const slept = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  return raceAbort(slept, signal).finally(() => clearTimeout(timer))
}
