import { useEffect, useRef, useState } from 'react'
import { api } from '../../lib/api'

/**
 * A verification the operator can stop (Add tenant, a replaced admin key). Each attempt gets a
 * fresh id sent with its call; Cancel hands that id to main (tenants.cancelVerify), which aborts
 * the HTTP call and writes nothing, so stopping in the UI and stopping in main are the same thing.
 * The call's own reply still settles the form: CANCELLED, or — when Cancel came after the writes
 * began — the success it was.
 */
export function useCancellableVerification() {
  const current = useRef<string | null>(null)
  const [cancelling, setCancelling] = useState(false)

  // Leaving the dialog mid-verification (Esc, ×) stops it too: no tenant may appear, and no key be
  // stored, behind the back of an operator who walked away from the form.
  useEffect(
    () => () => {
      if (current.current) void api().tenants.cancelVerify({ verifyId: current.current })
    },
    []
  )

  return {
    /** Mints the id for the next call. */
    start(): string {
      const id = crypto.randomUUID()
      current.current = id
      setCancelling(false)
      return id
    },
    /** The call settled: nothing is left to cancel. */
    settled() {
      current.current = null
      setCancelling(false)
    },
    cancel() {
      const id = current.current
      if (!id) return
      setCancelling(true)
      // Its answer only says whether it came in time; the call's own reply is what the form shows.
      void api().tenants.cancelVerify({ verifyId: id })
    },
    cancelling
  }
}
