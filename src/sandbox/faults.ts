import { z } from 'zod'

/**
 * Fault injection for demos and tests. Applies to /v1 routes only, never to /__sandbox.
 * Order per request: dropped connection → latency → 429 storm → error rate.
 */
export const FaultsInputSchema = z.object({
  /** added before every /v1 answer */
  latency_ms: z.number().int().min(0).max(120_000).optional(),
  /** probability 0..1 that a /v1 request fails with `error_status` */
  error_rate: z.number().min(0).max(1).optional(),
  /** 500 INTERNAL_ERROR (default), 503 SERVICE_UNAVAILABLE or 408 REQUEST_TIMEOUT */
  error_status: z.union([z.literal(408), z.literal(500), z.literal(503)]).optional(),
  /** seconds; sent as Retry-After and details.retry_after on injected 503s */
  retry_after: z.number().int().min(1).max(86_400).optional(),
  /** the next `count` /v1 requests answer 429 with Retry-After `retry_after_seconds` */
  rate_limit_storm: z
    .object({
      count: z.number().int().min(0).max(1_000_000),
      retry_after_seconds: z.number().int().min(1).max(86_400).default(1)
    })
    .optional(),
  /** the next N /v1 requests have their socket destroyed without any response */
  drop_connections: z.number().int().min(0).max(1_000_000).optional(),
  /** GET /v1/ready answers 503 */
  not_ready: z.boolean().optional()
})
export type FaultsInput = z.input<typeof FaultsInputSchema>

export interface FaultsState {
  latency_ms: number
  error_rate: number
  error_status: 408 | 500 | 503
  retry_after: number | null
  rate_limit_storm: { remaining: number; retry_after_seconds: number } | null
  drop_connections: number
  not_ready: boolean
}

const NONE: FaultsState = {
  latency_ms: 0,
  error_rate: 0,
  error_status: 500,
  retry_after: null,
  rate_limit_storm: null,
  drop_connections: 0,
  not_ready: false
}

export type FaultAction =
  { kind: 'drop' } | { kind: 'storm'; retryAfterSeconds: number } | { kind: 'error'; status: 408 | 500 | 503; retryAfter: number | null }

export class Faults {
  private state: FaultsState = { ...NONE }

  constructor(private readonly random: () => number = Math.random) {}

  get current(): FaultsState {
    return { ...this.state, rate_limit_storm: this.state.rate_limit_storm && { ...this.state.rate_limit_storm } }
  }

  /** PUT semantics: the given faults replace all current ones. */
  set(input: z.output<typeof FaultsInputSchema>): FaultsState {
    this.state = {
      latency_ms: input.latency_ms ?? 0,
      error_rate: input.error_rate ?? 0,
      error_status: input.error_status ?? 500,
      retry_after: input.retry_after ?? null,
      rate_limit_storm:
        input.rate_limit_storm && input.rate_limit_storm.count > 0
          ? { remaining: input.rate_limit_storm.count, retry_after_seconds: input.rate_limit_storm.retry_after_seconds }
          : null,
      drop_connections: input.drop_connections ?? 0,
      not_ready: input.not_ready ?? false
    }
    return this.current
  }

  clear(): FaultsState {
    this.state = { ...NONE }
    return this.current
  }

  get latencyMs(): number {
    return this.state.latency_ms
  }

  get notReady(): boolean {
    return this.state.not_ready
  }

  /** Should this request's connection be dropped? Consumes one drop. */
  takeDrop(): boolean {
    if (this.state.drop_connections <= 0) return false
    this.state.drop_connections -= 1
    return true
  }

  /** The storm or error to answer with, if any (consumes one storm request). */
  takeFailure(): Exclude<FaultAction, { kind: 'drop' }> | null {
    const storm = this.state.rate_limit_storm
    if (storm && storm.remaining > 0) {
      storm.remaining -= 1
      if (storm.remaining === 0) this.state.rate_limit_storm = null
      return { kind: 'storm', retryAfterSeconds: storm.retry_after_seconds }
    }
    if (this.state.error_rate > 0 && this.random() < this.state.error_rate) {
      return { kind: 'error', status: this.state.error_status, retryAfter: this.state.retry_after }
    }
    return null
  }
}
