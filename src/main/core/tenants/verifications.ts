import { CoreError } from '../errors'

/**
 * Verifications in flight (tenants.add, a replaced admin key), by the id the renderer gave them,
 * so the operator's Cancel reaches main (tenants.cancelVerify): cancelling aborts the
 * verification's HTTP call, and a verification cancelled before its writes began writes nothing.
 */
export interface VerificationRun {
  /** Aborts when the operator cancels; handed to the MeshQu client. */
  signal: AbortSignal
  /**
   * Called just before the first write: false when the run was cancelled (write nothing). Once it
   * answers true, a cancel is too late: the writes go ahead and the call's reply says so.
   */
  proceed(): boolean
  /** The call is over (in a finally): its id is forgotten. */
  end(): void
}

export interface VerificationOptions {
  now?: () => number
  /** How long a cancel that came before its verification is remembered. */
  earlyCancelMs?: number
}

/** Cancels remembered at most; the renderer sends one per Cancel click. */
const MAX_EARLY = 32

export function createVerifications({ now = Date.now, earlyCancelMs = 60_000 }: VerificationOptions = {}) {
  const running = new Map<string, AbortController>()
  // A cancel that overtook its verification (the two calls crossed on the way to main): the
  // verification then starts cancelled instead of running on unseen.
  const early = new Map<string, number>()

  function forgetOldCancels() {
    for (const [id, at] of early) if (now() - at > earlyCancelMs || early.size > MAX_EARLY) early.delete(id)
  }

  return {
    /** Starts a run; without an id it cannot be cancelled (callers that never offer Cancel). */
    begin(id: string | undefined): VerificationRun {
      const controller = new AbortController()
      forgetOldCancels()
      if (id !== undefined) {
        // Ids are minted fresh per attempt; one in use would leave the other call uncancellable.
        if (running.has(id)) throw new CoreError('VALIDATION', 'A verification with this id is already running.')
        if (early.delete(id)) controller.abort()
        running.set(id, controller)
      }
      const release = () => {
        if (id !== undefined && running.get(id) === controller) running.delete(id)
      }
      return {
        signal: controller.signal,
        proceed() {
          release()
          return !controller.signal.aborted
        },
        end: release
      }
    },

    /** True when a run was stopped before its writes; false when none was (too late, or not yet started). */
    cancel(id: string): boolean {
      const controller = running.get(id)
      if (controller) {
        running.delete(id)
        controller.abort()
        return true
      }
      early.set(id, now())
      forgetOldCancels()
      return false
    },

    /** Shutting down: every run stops. */
    cancelAll() {
      for (const controller of running.values()) controller.abort()
      running.clear()
    }
  }
}

export type Verifications = ReturnType<typeof createVerifications>
