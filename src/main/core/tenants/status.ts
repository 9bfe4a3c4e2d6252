import type { AppError } from '../../../shared/errors'
import type { TenantStatus } from '../../../shared/tenants'

/** The last thing each tenant's calls told us about reaching it, for the sidebar's status dot. */
export function createTenantStatus() {
  const statuses = new Map<string, TenantStatus>()
  return {
    record(profileId: string, error: AppError | null) {
      if (!error) return void statuses.set(profileId, 'online')
      switch (error.code) {
        case 'OFFLINE':
        case 'TIMEOUT':
          return void statuses.set(profileId, 'offline')
        case 'UNAUTHORIZED':
        case 'FORBIDDEN':
          // MeshQu answers 404 for other tenants' ids, so a 403 means the admin key itself falls short.
          return void statuses.set(profileId, 'auth-failed')
        case 'KEYCHAIN_UNAVAILABLE':
          return void statuses.set(profileId, 'keychain-locked')
        default:
          // Validation, not-found, rate limits and upstream trouble say nothing about reachability.
          return
      }
    },
    get: (profileId: string): TenantStatus => statuses.get(profileId) ?? 'unknown',
    forget: (profileId: string) => void statuses.delete(profileId)
  }
}

export type TenantStatusBook = ReturnType<typeof createTenantStatus>
