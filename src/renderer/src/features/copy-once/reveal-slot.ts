import { useMemo } from 'react'
import { api } from '../../lib/api'

/**
 * A new key's reveal slot in main. Plain calls, deliberately not React Query: a query or mutation
 * would keep the plaintext in its cache, and it must live only in the dialog's state while shown.
 */
export function useRevealSlot(revealId: string) {
  return useMemo(
    () => ({
      reveal: () => api().secrets.reveal({ revealId }),
      copy: () => api().secrets.copy({ revealId }),
      discard: () => api().secrets.discard({ revealId })
    }),
    [revealId]
  )
}
