import { MutationCache, QueryClient } from '@tanstack/react-query'
import type { ErrorCode } from '../../../shared/errors'
import { KeyDeskError } from './api'
import { qk } from './query-keys'

// Errors that another try cannot fix are not retried; offline and upstream trouble are, briefly.
const NO_RETRY = new Set<ErrorCode>([
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'KEYCHAIN_UNAVAILABLE',
  'READ_ONLY',
  'RATE_LIMITED',
  'CANCELLED',
  'STORE_UNREADABLE',
  'POLICY'
])

/** The app's React Query client (also built by the component tests, so they run what ships). */
export function createQueryClient(): QueryClient {
  // Every write main makes is journaled (and may settle a schedule): whatever a mutation was, the
  // journal and schedules views follow, without each feature's hook having to know about them.
  const client: QueryClient = new QueryClient({
    mutationCache: new MutationCache({
      onSettled: () => {
        void client.invalidateQueries({ queryKey: qk.journal })
        void client.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'tenant' && q.queryKey[2] === 'schedules' })
        void client.invalidateQueries({ queryKey: qk.fleetSchedules })
      }
    }),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: (count, err) => !(err instanceof KeyDeskError && NO_RETRY.has(err.error.code)) && count < 1
      },
      mutations: { retry: false }
    }
  })
  return client
}
