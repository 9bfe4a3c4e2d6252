import type { z } from 'zod'
import {
  AuditPageSchema,
  CreatedKeySchema,
  HealthSchema,
  KeyEnvelopeSchema,
  KeyPageSchema,
  type CreateKeyBody,
  type KeyStatusFilter
} from '../../../shared/meshqu'
import type { RateLimitSnapshot } from '../../../shared/ratelimit'
import { baseUrlProblem } from '../../../shared/tenants'
import { CoreError } from '../errors'
import { parseRateLimit, parseRetryAfter } from '../ratelimit/headers'
import { mapHttpError, mapNetworkError, timeoutError, unreadableResponse } from './error-map'
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './retry'
import type { CallKind } from '../ratelimit/scheduler'

export interface MeshquClientOptions {
  baseUrl: string
  tenantId: string
  /** Used in error sentences only. */
  tenantLabel: string
  adminKey: string
  fetch?: typeof fetch
  now?: () => number
  timeoutMs?: number
  retry?: RetryPolicy
  random?: () => number
  sleep?: (ms: number) => Promise<void>
  onRateLimit?: (snapshot: RateLimitSnapshot) => void
  /** The tenant's pacing gate (ratelimit/scheduler.ts); every attempt passes through it. */
  pacing?: Pacing
}

export interface Pacing {
  acquire(kind: CallKind): Promise<() => void>
  rateLimited(retryAfterMs: number): void
}

/** Per-call options: bulk and background work keeps the rate-limit reserve. */
export interface CallOptions {
  kind?: CallKind
}

export interface Received<T> {
  data: T
  rateLimit?: RateLimitSnapshot
  correlationId?: string
}

interface RequestSpec<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  schema: S
  /** Health and readiness need no credentials [DOC]. */
  anonymous?: boolean
  kind?: CallKind
}

const RETRYABLE_STATUS = new Set([408, 503])
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * Refuses anything but https, except plain http to a loopback host (API.md, Transport), and base
 * URLs with user info, a query or a fragment (tenants.ts, baseUrlProblem).
 * `http://localhost` is connected to 127.0.0.1: the admin key goes out in clear over http, so the
 * name must not be resolved (a hosts file or resolver could point it anywhere). https to
 * `localhost` is left alone: TLS checks the name, and an IP would fail that check.
 */
export function checkBaseUrl(baseUrl: string): URL {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    // Not echoed: an unparseable URL may still hold a password.
    throw new CoreError('VALIDATION', 'The base URL is not a URL. Use e.g. https://api.meshqu.com.', { fields: { baseUrl: 'Not a URL' } })
  }
  const problem = baseUrlProblem(baseUrl)
  if (problem?.kind === 'plain-http') {
    throw new CoreError(
      'VALIDATION',
      `KeyDesk refuses plain http to ${url.host}: admin keys only travel over https (http is allowed for loopback only).`,
      { fields: { baseUrl: 'https required for non-loopback hosts' } }
    )
  }
  if (problem) {
    // The message names the host only: the URL itself may carry a password.
    throw new CoreError('VALIDATION', `KeyDesk cannot use the base URL for ${url.hostname}: ${problem.message}.`, { fields: { baseUrl: problem.message } })
  }
  if (url.protocol === 'http:' && url.hostname === 'localhost') url.hostname = '127.0.0.1'
  return url
}

/**
 * The MeshQu HTTP client: both auth headers, a timeout per attempt, zod-checked responses,
 * error mapping, rate-limit readings, and retries for idempotent reads only.
 */
export function createMeshquClient(opts: MeshquClientOptions) {
  const base = checkBaseUrl(opts.baseUrl)
  const doFetch = opts.fetch ?? globalThis.fetch
  const now = opts.now ?? Date.now
  const timeoutMs = opts.timeoutMs ?? 10_000
  const policy = opts.retry ?? DEFAULT_RETRY
  const random = opts.random ?? Math.random
  const sleep = opts.sleep ?? defaultSleep
  const label = opts.tenantLabel
  const basePath = base.pathname.replace(/\/+$/, '')

  async function attempt<S extends z.ZodType>(spec: RequestSpec<S>): Promise<Received<z.output<S>>> {
    const url = new URL(`${basePath}/v1${spec.path}`, base)
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v))
    const headers: Record<string, string> = { accept: 'application/json' }
    if (!spec.anonymous) {
      headers.authorization = `Bearer ${opts.adminKey}`
      headers['x-meshqu-tenant-id'] = opts.tenantId
    }
    if (spec.body !== undefined) headers['content-type'] = 'application/json'

    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    let res: Response
    let text: string
    try {
      res = await doFetch(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: controller.signal,
        redirect: 'error'
      })
      text = await res.text()
    } catch (err) {
      if (controller.signal.aborted) throw timeoutError(label, base.host, timeoutMs, spec.method === 'POST')
      throw mapNetworkError(err, label, base.host)
    } finally {
      clearTimeout(timer)
    }

    const at = now()
    const correlationId = res.headers.get('x-correlation-id') ?? undefined
    const tier = spec.anonymous || res.status === 401 ? 'pre-auth' : 'post-auth'
    const rateLimit = parseRateLimit(res.headers, at, tier) ?? undefined
    if (rateLimit) opts.onRateLimit?.(rateLimit)

    const isJson = /^application\/([\w.+-]+\+)?json\b/i.test(res.headers.get('content-type') ?? '')
    let body: unknown = undefined
    if (text !== '' && isJson) {
      try {
        body = JSON.parse(text)
      } catch {
        if (res.ok) throw unreadableResponse(label, res.status, 'malformed JSON', correlationId)
      }
    }
    if (!res.ok) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), at) ?? undefined
      throw mapHttpError(body, { tenantLabel: label, status: res.status, correlationId, retryAfterMs, nonIdempotent: spec.method === 'POST' })
    }
    if (!isJson) throw unreadableResponse(label, res.status, `content of type "${res.headers.get('content-type') ?? 'none'}" instead of JSON`, correlationId)
    const parsed = spec.schema.safeParse(body)
    if (!parsed.success) throw unreadableResponse(label, res.status, 'a body in an unexpected shape', correlationId)
    return { data: parsed.data, rateLimit, correlationId }
  }

  async function request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<Received<z.output<S>>> {
    const idempotent = spec.method === 'GET'
    for (let n = 0; ; n++) {
      const release = spec.anonymous ? undefined : await opts.pacing?.acquire(spec.kind ?? 'interactive')
      try {
        return await attempt(spec)
      } catch (err) {
        if (err instanceof CoreError && err.code === 'RATE_LIMITED') opts.pacing?.rateLimited(err.extra.retryAfterMs ?? 1000)
        if (!idempotent || n >= policy.retries || !isRetryable(err)) throw err
        const retryAfter = err instanceof CoreError ? err.extra.retryAfterMs : undefined
        // A server asking for a longer pause than our cap is answered with the error, not a hang.
        if (retryAfter !== undefined && retryAfter > policy.maxDelayMs) throw err
        release?.()
        await sleep(backoffDelay(n, policy, random, retryAfter))
      } finally {
        release?.()
      }
    }
  }

  return {
    baseUrl: base.origin + basePath,
    health: () => request({ method: 'GET', path: '/health', schema: HealthSchema, anonymous: true }),
    listKeys: (q: { limit?: number; offset?: number; status?: KeyStatusFilter } = {}, o: CallOptions = {}) =>
      request({ method: 'GET', path: '/api-keys', query: q, schema: KeyPageSchema, kind: o.kind }),
    getKey: (id: string, o: CallOptions = {}) =>
      request({ method: 'GET', path: `/api-keys/${encodeURIComponent(id)}`, schema: KeyEnvelopeSchema, kind: o.kind }),
    createKey: (body: CreateKeyBody, o: CallOptions = {}) =>
      request({ method: 'POST', path: '/api-keys', body, schema: CreatedKeySchema, kind: o.kind }),
    revokeKey: (id: string, o: CallOptions = {}) =>
      request({ method: 'DELETE', path: `/api-keys/${encodeURIComponent(id)}`, schema: KeyEnvelopeSchema, kind: o.kind }),
    listAudit: (q: { limit?: number; offset?: number; action?: string; from_date?: string } = {}, o: CallOptions = {}) =>
      request({ method: 'GET', path: '/audit-events', query: q, schema: AuditPageSchema, kind: o.kind })
  }
}

export type MeshquClient = ReturnType<typeof createMeshquClient>

function isRetryable(err: unknown): boolean {
  if (!(err instanceof CoreError)) return false
  if (err.code === 'OFFLINE' || err.code === 'TIMEOUT') return err.extra.status === undefined || RETRYABLE_STATUS.has(err.extra.status)
  return err.extra.status !== undefined && RETRYABLE_STATUS.has(err.extra.status)
}
