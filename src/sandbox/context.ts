import type { Scope } from '../shared/scopes'
import type { SandboxControl } from './control'
import type { Faults } from './faults'
import type { RateDecision, RateLimiter } from './ratelimit'
import type { KeyRecord } from './records'
import type { SandboxStore } from './store'

export const SANDBOX_VERSION = '1.0.0-sandbox'

/** Everything a request handler needs. */
export interface SandboxContext {
  store: SandboxStore
  limiter: RateLimiter
  faults: Faults
  control: SandboxControl
  now: () => number
  /** resolves after `ms`, or at once when the server closes */
  sleep: (ms: number) => Promise<void>
  log: (message: string) => void
}

/** Per-request state, set by the onRequest hook. */
export interface RequestState {
  correlationId: string
  /** the figures the rate-limit-* headers carry */
  rate: Pick<RateDecision, 'limit' | 'remaining' | 'resetEpochSeconds'> | null
  /** the authenticated key, on routes that need one */
  actor: KeyRecord | null
  tenantId: string | null
}

declare module 'fastify' {
  interface FastifyRequest {
    sb: RequestState
  }
  interface FastifyContextConfig {
    /** the scope the route requires; routes without one need no authentication */
    scope?: Scope
  }
}

/** The authenticated caller, for handlers of routes declared with a scope. */
export function caller(state: RequestState): { actor: KeyRecord; tenantId: string } {
  if (!state.actor || !state.tenantId) throw new Error('route declared without a scope')
  return { actor: state.actor, tenantId: state.tenantId }
}
