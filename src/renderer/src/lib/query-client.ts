import { QueryClient } from '@tanstack/react-query'
import type { ErrorCode } from '../../../shared/errors'
import { KeyDeskError } from './api'

// Errors that another try cannot fix are not retried; offline and upstream trouble are, briefly.
const NO_RETRY = new Set<ErrorCode>(['VALIDATION', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'KEYCHAIN_UNAVAILABLE', 'READ_ONLY', 'RATE_LIMITED'])

/** The app's React Query client (also built by the component tests, so they run what ships). */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: (count, err) => !(err instanceof KeyDeskError && NO_RETRY.has(err.error.code)) && count < 1
      },
      mutations: { retry: false }
    }
  })
}
