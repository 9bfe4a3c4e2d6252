import type { z } from 'zod'
import {
  AuditPageSchema,
  CreatedKeySchema,
  HealthSchema,
  KeyEnvelopeSchema,
  KeyPageSchema,
  type ApiKey,
  type CreateKeyBody,
  type KeyStatusFilter
} from '../../../shared/meshqu'
import type { RateLimitSnapshot } from '../../../shared/ratelimit'
import { baseUrlProblem } from '../../../shared/tenants'
import { keyStatus } from '../../../shared/key-view'
import { CoreError } from '../errors'
import { parseRateLimit, parseRetryAfter } from '../ratelimit/headers'
import {
  brokenAnswer,
  cancelledError,
  mapHttpError,
  mapNetworkError,
  rateLimitHeld,
  redirectError,
  timeoutError,
  unreadableResponse
} from './error-map'
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './retry'
import { PacingHeld, type CallKind } from '../ratelimit/scheduler'
import { raceAbort, sleep as timerSleep } from '../sleep'
import { BodyReadError, CANCELLED, cancelQuietly, DEADLINE, MAX_BODY_BYTES, readBodyCapped } from './body'

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
  /** Rejects with PacingHeld when a Retry-After hold is longer than `maxRateLimitedWaitMs`; `signal` ends the wait. */
  acquire(kind: CallKind, maxRateLimitedWaitMs?: number, signal?: AbortSignal): Promise<() => void>
  rateLimited(retryAfterMs: number): void
}

/**
 * An interactive call (one click) waits out a Retry-After of at most this; a longer one is
 * answered RATE_LIMITED with the time left at once. Background and bulk work keeps waiting.
 */
export const INTERACTIVE_MAX_WAIT_MS = 5_000

/** Per-call options: bulk and background work keeps the rate-limit reserve. */
export interface CallOptions {
  kind?: CallKind
  /** Aborting it ends the call with CANCELLED: an attempt in flight stops at once, none follows. */
  signal?: AbortSignal
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
  signal?: AbortSignal
}

const RETRYABLE_STATUS = new Set([408, 503])

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
    throw new CoreError('VALIDATION', `KeyDesk cannot use the base URL for ${url.hostname}: ${problem.message}.`, {
      fields: { baseUrl: problem.message }
    })
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
  const custom = opts.sleep
  // A retry's backoff ends with the call's signal: a stopped caller is not held by a pause.
  const sleep = (ms: number, signal?: AbortSignal) => (custom ? raceAbort(custom(ms), signal) : timerSleep(ms, signal))
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

    const nonIdempotent = spec.method === 'POST'
    const stopped = spec.signal
    if (stopped?.aborted) throw cancelledError(label, base.host)
    // One deadline bounds the whole attempt, headers and body: it is raced against the fetch and
    // every body chunk, so neither a fetch that ignores its signal nor a trickling body outlasts it.
    // The caller's signal ends it the same way, early, with CANCELLED instead of DEADLINE.
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    let onStop: (() => void) | undefined
    const deadline = new Promise<never>((_, reject) => {
      // Reject first: aborting also errors the body stream, and the deadline must win that race.
      timer = setTimeout(() => {
        reject(DEADLINE)
        controller.abort()
      }, timeoutMs)
      onStop = () => {
        reject(CANCELLED)
        controller.abort()
      }
      stopped?.addEventListener('abort', onStop, { once: true })
    })
    deadline.catch(() => {}) // nobody may be racing it when it fires
    try {
      let res: Response
      try {
        res = await Promise.race([
          doFetch(url, {
            method: spec.method,
            headers,
            body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
            signal: controller.signal,
            // Never follow: a redirect would carry the admin key to wherever it points.
            redirect: 'manual'
          }),
          deadline
        ])
      } catch (err) {
        if (err === CANCELLED) throw cancelledError(label, base.host, nonIdempotent)
        if (err === DEADLINE || controller.signal.aborted) throw timeoutError(label, base.host, timeoutMs, nonIdempotent)
        throw mapNetworkError(err, label, base.host)
      }

      const at = now()
      const correlationId = res.headers.get('x-correlation-id') ?? undefined
      const tier = spec.anonymous || res.status === 401 ? 'pre-auth' : 'post-auth'
      const rateLimit = parseRateLimit(res.headers, at, tier) ?? undefined
      if (rateLimit) opts.onRateLimit?.(rateLimit)

      if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
        cancelQuietly(res.body)
        throw redirectError(label, res.status, url, res.headers.get('location'))
      }

      let text: string
      try {
        text = await readBodyCapped(res, deadline, MAX_BODY_BYTES)
      } catch (err) {
        if (!(err instanceof BodyReadError)) throw err
        if (err.reason === 'cancelled') throw cancelledError(label, base.host, nonIdempotent, true)
        if (err.reason === 'timeout' || controller.signal.aborted) throw timeoutError(label, base.host, timeoutMs, nonIdempotent, true)
        if (!res.ok)
          text = '' // an error's status says enough without its body
        else if (err.reason === 'too-large')
          throw unreadableResponse(label, res.status, `a body larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`, correlationId, nonIdempotent)
        else throw brokenAnswer(label, base.host, res.status, nonIdempotent)
      }

      const isJson = /^application\/([\w.+-]+\+)?json\b/i.test(res.headers.get('content-type') ?? '')
      // 204 No Content: the answer is `null`, accepted only where the schema allows it (revoke).
      let body: unknown = res.status === 204 ? null : undefined
      if (text !== '' && isJson) {
        try {
          body = JSON.parse(text)
        } catch {
          if (res.ok) throw unreadableResponse(label, res.status, 'malformed JSON', correlationId, nonIdempotent)
        }
      }
      if (!res.ok) {
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), at) ?? undefined
        throw mapHttpError(body, { tenantLabel: label, status: res.status, correlationId, retryAfterMs, nonIdempotent })
      }
      if (!isJson && res.status !== 204) {
        throw unreadableResponse(
          label,
          res.status,
          `content of type "${res.headers.get('content-type') ?? 'none'}" instead of JSON`,
          correlationId,
          nonIdempotent
        )
      }
      const parsed = spec.schema.safeParse(body)
      if (!parsed.success)
        throw unreadableResponse(label, res.status, res.status === 204 ? 'no content' : 'a body in an unexpected shape', correlationId, nonIdempotent)
      return { data: parsed.data, rateLimit, correlationId }
    } finally {
      clearTimeout(timer)
      if (onStop) stopped?.removeEventListener('abort', onStop)
    }
  }

  /**
   * Waits for the tenant's pacing gate; an interactive call does not sit out a long Retry-After.
   * A cancel ends the wait at once; the turn, when it comes, is handed straight back.
   */
  async function acquire(kind: CallKind, signal?: AbortSignal): Promise<(() => void) | undefined> {
    const turn = opts.pacing?.acquire(kind, kind === 'interactive' ? INTERACTIVE_MAX_WAIT_MS : undefined, signal)
    let onStop: (() => void) | undefined
    const stopped = new Promise<never>((_, reject) => {
      onStop = () => reject(cancelledError(label, base.host))
      if (signal?.aborted) onStop()
      else signal?.addEventListener('abort', onStop, { once: true })
    })
    try {
      return await Promise.race([turn, stopped])
    } catch (err) {
      if (signal?.aborted || (err instanceof CoreError && err.code === 'CANCELLED')) {
        turn?.then((release) => release()).catch(() => {})
        throw cancelledError(label, base.host)
      }
      if (err instanceof PacingHeld) throw rateLimitHeld(label, err.waitMs)
      throw err
    } finally {
      if (onStop) signal?.removeEventListener('abort', onStop)
    }
  }

  async function request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<Received<z.output<S>>> {
    const idempotent = spec.method === 'GET'
    for (let n = 0; ; n++) {
      const release = spec.anonymous ? undefined : await acquire(spec.kind ?? 'interactive', spec.signal)
      try {
        return await attempt(spec)
      } catch (err) {
        if (err instanceof CoreError && err.code === 'RATE_LIMITED') opts.pacing?.rateLimited(err.extra.retryAfterMs ?? 1000)
        if (!idempotent || n >= policy.retries || !isRetryable(err) || spec.signal?.aborted) throw err
        const retryAfter = err instanceof CoreError ? err.extra.retryAfterMs : undefined
        // A server asking for a longer pause than our cap is answered with the error, not a hang.
        if (retryAfter !== undefined && retryAfter > policy.maxDelayMs) throw err
        release?.()
        await sleep(backoffDelay(n, policy, random, retryAfter), spec.signal).catch(() => {
          throw cancelledError(label, base.host)
        })
      } finally {
        release?.()
      }
    }
  }

  const getKey = (id: string, o: CallOptions = {}) =>
    request({ method: 'GET', path: `/api-keys/${encodeURIComponent(id)}`, schema: KeyEnvelopeSchema, kind: o.kind, signal: o.signal })

  /**
   * DELETE, read as MeshQu's variants answer it: 200 with the key; 204 No Content (revoked, then
   * read back with a GET; `key: null` if that read fails); 404 for a key that is already revoked
   * (a GET tells it apart from an id that never existed, which stays NOT_FOUND).
   */
  async function revokeKey(id: string, o: CallOptions = {}): Promise<Received<{ key: ApiKey | null }>> {
    let res: Received<{ key: ApiKey } | null>
    try {
      res = await request({
        method: 'DELETE',
        path: `/api-keys/${encodeURIComponent(id)}`,
        schema: KeyEnvelopeSchema.nullable(),
        kind: o.kind,
        signal: o.signal
      })
    } catch (err) {
      if (!(err instanceof CoreError && err.code === 'NOT_FOUND' && err.extra.status === 404)) throw err
      const found = await getKey(id, o).catch(() => null)
      if (found && keyStatus(found.data.key, now()) === 'revoked') return found
      throw err
    }
    if (res.data) return { ...res, data: res.data }
    const readBack = await getKey(id, o).catch(() => null)
    return readBack ?? { ...res, data: { key: null } }
  }

  return {
    baseUrl: base.origin + basePath,
    health: () => request({ method: 'GET', path: '/health', schema: HealthSchema, anonymous: true }),
    listKeys: (q: { limit?: number; offset?: number; status?: KeyStatusFilter } = {}, o: CallOptions = {}) =>
      request({ method: 'GET', path: '/api-keys', query: q, schema: KeyPageSchema, kind: o.kind, signal: o.signal }),
    getKey,
    createKey: (body: CreateKeyBody, o: CallOptions = {}) =>
      request({ method: 'POST', path: '/api-keys', body, schema: CreatedKeySchema, kind: o.kind, signal: o.signal }),
    revokeKey,
    listAudit: (q: { limit?: number; offset?: number; action?: string; from_date?: string } = {}, o: CallOptions = {}) =>
      request({ method: 'GET', path: '/audit-events', query: q, schema: AuditPageSchema, kind: o.kind, signal: o.signal })
  }
}

export type MeshquClient = ReturnType<typeof createMeshquClient>

function isRetryable(err: unknown): boolean {
  if (!(err instanceof CoreError)) return false
  if (err.code === 'OFFLINE' || err.code === 'TIMEOUT') return err.extra.status === undefined || RETRYABLE_STATUS.has(err.extra.status)
  return err.extra.status !== undefined && RETRYABLE_STATUS.has(err.extra.status)
}
