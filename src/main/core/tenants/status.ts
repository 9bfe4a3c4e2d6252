import type { AppError } from '../../../shared/errors'
import type { TenantStatus } from '../../../shared/tenants'
import type { HostState } from '../../../shared/sync'

export interface TenantStatusOptions {
  /** The tenant's base URL, known synchronously (profile-store's cache), so a failure marks its host. */
  hostOf?: (profileId: string) => string | undefined
  now?: () => number
}

type HostListener = (baseUrl: string, reachable: boolean) => void

/**
 * What each tenant's calls told us about reaching it, for the sidebar's status dot. Reachability is
 * kept per host (base URL), not per tenant: one tenant's network failure, or a failed health probe,
 * marks every tenant on that base URL offline, and the first answer from the host brings them all
 * back, without any of them being visited. What belongs to one tenant (its admin key refused, the
 * keychain locked, a write whose outcome is unknown) stays with that tenant.
 */
export function createTenantStatus(opts: TenantStatusOptions = {}) {
  const now = opts.now ?? Date.now
  const own = new Map<string, TenantStatus>()
  const hosts = new Map<string, { reachable: boolean; checkedAt: number }>()
  /** Tenants with a write of unknown outcome that the next complete list settles. */
  const settling = new Set<string>()
  const hostListeners: HostListener[] = []

  const setHost = (baseUrl: string, reachable: boolean) => {
    const prev = hosts.get(baseUrl)
    hosts.set(baseUrl, { reachable, checkedAt: now() })
    // Only a change is told: the first answer of a host is not its return.
    if (prev && prev.reachable !== reachable) for (const l of hostListeners) l(baseUrl, reachable)
  }

  return {
    record(profileId: string, error: AppError | null) {
      const host = opts.hostOf?.(profileId)
      if (!error) {
        own.set(profileId, 'online')
        if (host) setHost(host, true)
        return
      }
      // A write that may have been applied: the tenant settles at its next list, it is not offline.
      if (error.outcome === 'unknown') {
        settling.add(profileId)
        return
      }
      switch (error.code) {
        case 'OFFLINE':
        case 'TIMEOUT':
          // MeshQu answered (a 503, a 408): the host is there, only this call failed.
          if (error.status !== undefined) return
          if (host) {
            own.delete(profileId)
            setHost(host, false)
          } else own.set(profileId, 'offline')
          return
        case 'UNAUTHORIZED':
        case 'FORBIDDEN':
          // MeshQu answers 404 for other tenants' ids, so a 403 means the admin key itself falls short.
          own.set(profileId, 'auth-failed')
          if (host && error.status !== undefined) setHost(host, true)
          return
        case 'KEYCHAIN_UNAVAILABLE':
          return void own.set(profileId, 'keychain-locked')
        default:
          // Validation, not-found, rate limits and upstream trouble: the host answered.
          if (host && error.status !== undefined) setHost(host, true)
          return
      }
    },
    /** A health probe's outcome for a base URL (sync/host-probe.ts). */
    probed: (baseUrl: string, reachable: boolean) => setHost(baseUrl, reachable),
    /** A write of unknown outcome was recorded for the tenant (writes/failed-write.ts). */
    markSettling: (profileId: string) => void settling.add(profileId),
    /** The complete list that settles the tenant's unknown writes reached the store. */
    settled: (profileId: string) => void settling.delete(profileId),
    isSettling: (profileId: string) => settling.has(profileId),
    hostReachable: (baseUrl: string): boolean | null => hosts.get(baseUrl)?.reachable ?? null,
    hosts: (): HostState[] => [...hosts].map(([baseUrl, h]) => ({ baseUrl, reachable: h.reachable, checkedAt: h.checkedAt })),
    /** Told when a host goes away or answers again (the fleet sync starts a run when one returns). */
    onHostChange: (listener: HostListener) => void hostListeners.push(listener),
    get(profileId: string): TenantStatus {
      const mine = own.get(profileId)
      if (mine === 'auth-failed' || mine === 'keychain-locked') return mine
      const host = opts.hostOf?.(profileId)
      const reachable = host ? hosts.get(host)?.reachable : undefined
      if (reachable === false) return 'offline'
      if (settling.has(profileId)) return 'settling'
      if (reachable === true && (mine === undefined || mine === 'offline')) return 'online'
      return mine ?? 'unknown'
    },
    forget: (profileId: string) => {
      own.delete(profileId)
      settling.delete(profileId)
    }
  }
}

export type TenantStatusBook = ReturnType<typeof createTenantStatus>
