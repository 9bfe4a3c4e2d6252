import { MeshquErrorBodySchema } from '../../../shared/meshqu'
import type { AppError, ErrorCode, RequestOutcome } from '../../../shared/errors'
import { CoreError } from '../errors'
import { MAX_RETRY_AFTER_MS } from '../ratelimit/headers'

/**
 * The one place MeshQu's HTTP errors become KeyDesk's error codes (API.md, Errors). The message is
 * a plain sentence naming the tenant; the correlation id is kept so operators can quote it.
 */
export interface ErrorContext {
  tenantLabel: string
  status: number
  correlationId?: string
  retryAfterMs?: number
  /** A create (POST): a timeout then leaves it unknown whether MeshQu applied it. */
  nonIdempotent?: boolean
}

/**
 * Statuses after which a write may have been applied: MeshQu (408) or a gateway in front of it
 * (502, 504) gave up while the request may already have been processed.
 */
const MAY_HAVE_APPLIED = new Set([408, 502, 504])

export function outcomeOfStatus(status: number): RequestOutcome {
  return MAY_HAVE_APPLIED.has(status) ? 'unknown' : 'rejected'
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'TIMEOUT',
  429: 'RATE_LIMITED',
  500: 'UPSTREAM',
  502: 'UPSTREAM',
  503: 'UPSTREAM',
  504: 'TIMEOUT'
}

function sentence(code: ErrorCode, ctx: ErrorContext, upstreamMessage?: string): string {
  const t = ctx.tenantLabel
  switch (code) {
    case 'VALIDATION':
      return `MeshQu rejected the request for tenant ${t} (${ctx.status})${upstreamMessage ? `: ${upstreamMessage}` : ''}.`
    case 'UNAUTHORIZED':
      return `MeshQu did not accept the admin key for tenant ${t} (401). It may be wrong, revoked or expired; replace it in the tenant's settings.`
    case 'FORBIDDEN':
      return `MeshQu refused this key for tenant ${t} (403). It may belong to another tenant or lack api-keys:admin.`
    case 'NOT_FOUND':
      return `MeshQu has no such resource in tenant ${t} (404). It may have been removed, or belong to another tenant.`
    case 'TIMEOUT':
      return ctx.nonIdempotent
        ? `MeshQu timed out answering for tenant ${t} (${ctx.status}); the change may have been applied. Refresh the list before trying again.`
        : `MeshQu timed out answering for tenant ${t} (${ctx.status}). It is safe to try again.`
    case 'RATE_LIMITED':
      return `MeshQu's rate limit for tenant ${t} is used up (429). KeyDesk waits ${Math.ceil((ctx.retryAfterMs ?? 1000) / 1000)} s before sending more.`
    default:
      if (ctx.nonIdempotent && MAY_HAVE_APPLIED.has(ctx.status)) {
        return `A gateway in front of MeshQu answered ${ctx.status} for tenant ${t}; the change may have been applied. Refresh the list before trying again.`
      }
      return `MeshQu had a problem answering for tenant ${t} (${ctx.status}). Try again shortly${ctx.status === 503 ? '; the service reports a dependency is down' : ''}.`
  }
}

/** Reads a field→message map from MeshQu's `details`, which is `{ fields: {...} }` [ASSUMED]. */
function fieldsFrom(details: unknown): Record<string, string> | undefined {
  if (!details || typeof details !== 'object') return undefined
  const raw = (details as { fields?: unknown }).fields
  if (!raw || typeof raw !== 'object') return undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    out[k] = typeof v === 'string' ? v : Array.isArray(v) ? v.map(String).join('; ') : JSON.stringify(v)
  }
  return Object.keys(out).length ? out : undefined
}

/**
 * Seconds from the body's retry hints. MeshQu documents `retry_after` on 503 and `retryAfter` in a
 * 429's details; other servers mix them up, so every spelling is read at the top level and in
 * `error.details` (numbers or numeric strings).
 */
function bodyRetryAfterMs(body: unknown): number | undefined {
  if (!body || typeof body !== 'object') return undefined
  const top = body as Record<string, unknown>
  const error = top.error && typeof top.error === 'object' ? (top.error as Record<string, unknown>) : undefined
  const details = error?.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : undefined
  for (const bag of [details, top]) {
    for (const name of ['retryAfter', 'retry_after']) {
      const raw = bag?.[name]
      const s = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw
      if (typeof s === 'number' && Number.isFinite(s) && s >= 0) return Math.round(s * 1000)
    }
  }
  return undefined
}

export function mapHttpError(body: unknown, ctx: ErrorContext): CoreError {
  const parsed = MeshquErrorBodySchema.safeParse(body)
  const code: ErrorCode = STATUS_CODES[ctx.status] ?? (ctx.status >= 500 ? 'UPSTREAM' : 'VALIDATION')
  const correlationId = ctx.correlationId ?? (parsed.success ? parsed.data.correlation_id : undefined)
  // The one place a server's pause (header or body) becomes KeyDesk's wait, so the cap is here.
  const asked = ctx.retryAfterMs ?? bodyRetryAfterMs(body)
  const retryAfterMs = asked === undefined ? undefined : Math.min(asked, MAX_RETRY_AFTER_MS)
  const extra: Omit<AppError, 'code' | 'message'> = { status: ctx.status, outcome: outcomeOfStatus(ctx.status), reachedServer: true }
  if (correlationId) extra.correlationId = correlationId
  if (retryAfterMs !== undefined) extra.retryAfterMs = retryAfterMs
  const fields = parsed.success ? fieldsFrom(parsed.data.error.details) : undefined
  if (fields) extra.fields = fields
  const upstream = parsed.success ? parsed.data.error.message : undefined
  let message = sentence(code, { ...ctx, retryAfterMs }, upstream)
  if (parsed.success && parsed.data.error.code === 'MISSING_TENANT_ID') {
    message = `MeshQu says the tenant id was missing for tenant ${ctx.tenantLabel} (400). Check the tenant's settings.`
  }
  if (correlationId) message += ` Correlation id ${correlationId}.`
  return new CoreError(code, message, extra)
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH|ERR_CERT)/
/** Failures before a connection (or its TLS handshake) existed: the request was never sent. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT'
])

/**
 * fetch() rejected: no answer at all. Unreachable hosts are OFFLINE; a TLS failure says so. A
 * connection that broke after it was made (reset, closed) leaves the outcome unknown.
 */
export function mapNetworkError(err: unknown, tenantLabel: string, host: string, reachedServer = false): CoreError {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } })?.cause
  const code = typeof cause?.code === 'string' ? cause.code : ''
  if (TLS_CODES.test(code)) {
    return new CoreError(
      'UPSTREAM',
      `The TLS certificate of ${host} was not accepted for tenant ${tenantLabel} (${code}). Check the base URL; KeyDesk will not skip certificate checks.`,
      { outcome: 'not-sent', reachedServer: false }
    )
  }
  const outcome: RequestOutcome = !reachedServer && NOT_SENT_CODES.has(code) ? 'not-sent' : 'unknown'
  const why = code ? ` (${code})` : ''
  return new CoreError('OFFLINE', `Could not reach ${host} for tenant ${tenantLabel}${why}. Check your network or VPN, then retry.`, {
    outcome,
    reachedServer
  })
}

export function timeoutError(tenantLabel: string, host: string, ms: number, nonIdempotent = false, reachedServer = false): CoreError {
  const advice = nonIdempotent ? 'The change may have been applied; refresh the list before trying again.' : 'It is safe to retry.'
  const when = reachedServer ? 'finish its answer' : 'answer'
  return new CoreError('TIMEOUT', `${host} did not ${when} within ${Math.round(ms / 1000)} s for tenant ${tenantLabel}. ${advice}`, {
    outcome: 'unknown',
    reachedServer
  })
}

/**
 * The caller stopped the request (the operator cancelled a verification). A read leaves nothing
 * behind, so it counts as not sent; a write that was already on its way may have been applied.
 */
export function cancelledError(tenantLabel: string, host: string, mayHaveApplied = false, reachedServer = false): CoreError {
  return new CoreError('CANCELLED', `The request to ${host} for tenant ${tenantLabel} was cancelled.`, {
    outcome: mayHaveApplied ? 'unknown' : 'not-sent',
    reachedServer
  })
}

/**
 * The connection broke while the body of an answer was arriving. No status is kept, so a read is
 * retried like any dropped connection; for a write the outcome is unknown.
 */
export function brokenAnswer(tenantLabel: string, host: string, status: number, nonIdempotent = false): CoreError {
  const advice = nonIdempotent ? 'The change may have been applied; refresh the list before trying again.' : 'It is safe to retry.'
  return new CoreError('OFFLINE', `The connection to ${host} broke off while MeshQu was answering tenant ${tenantLabel} (${status}). ${advice}`, {
    outcome: 'unknown',
    reachedServer: true
  })
}

/**
 * A success KeyDesk could not read (malformed, wrong type or shape, too large). The server said it
 * did the work, so for a write the outcome is unknown, never "try again".
 */
export function unreadableResponse(tenantLabel: string, status: number, what: string, correlationId?: string, nonIdempotent = false): CoreError {
  const verdict = nonIdempotent
    ? 'the change may have been applied, but KeyDesk could not read the answer. Refresh the list before trying again.'
    : 'KeyDesk did not use it.'
  const extra: Omit<AppError, 'code' | 'message'> = { status, outcome: status < 300 ? 'unknown' : 'rejected', reachedServer: true }
  if (correlationId) extra.correlationId = correlationId
  return new CoreError(
    'UPSTREAM',
    `MeshQu answered tenant ${tenantLabel} with ${what} (${status}); ${verdict}${correlationId ? ` Correlation id ${correlationId}.` : ''}`,
    extra
  )
}

/**
 * The base URL answered with a redirect. KeyDesk never follows one (the admin key must not travel
 * to another origin) and never retries it: the base URL itself needs changing.
 */
export function redirectError(tenantLabel: string, status: number, requestUrl: URL, location: string | null): CoreError {
  let target: string | undefined
  try {
    // Origin and path only: a redirect's query may carry anything.
    if (location) {
      const u = new URL(location, requestUrl)
      target = u.origin + u.pathname
    }
  } catch {
    target = undefined
  }
  const where = target ? `to ${target}` : 'without saying where'
  return new CoreError(
    'UPSTREAM',
    `The base URL of tenant ${tenantLabel} redirects (${status}) ${where}. KeyDesk does not follow redirects, so the admin key is never sent elsewhere; set the tenant's base URL to the address MeshQu answers on.`,
    { status, outcome: 'rejected', reachedServer: true, fields: { baseUrl: target ? `Redirects to ${target}` : 'Redirects elsewhere' } }
  )
}

/** An interactive call held by a long Retry-After: answered at once instead of waiting it out. */
export function rateLimitHeld(tenantLabel: string, waitMs: number): CoreError {
  const s = Math.ceil(waitMs / 1000)
  return new CoreError(
    'RATE_LIMITED',
    `MeshQu's rate limit for tenant ${tenantLabel} asked KeyDesk to pause; nothing was sent. Try again in ${s} s.`,
    { retryAfterMs: Math.max(0, Math.round(waitMs)), outcome: 'not-sent', reachedServer: false }
  )
}
