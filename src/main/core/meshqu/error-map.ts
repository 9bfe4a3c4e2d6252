import { MeshquErrorBodySchema } from '../../../shared/meshqu'
import type { AppError, ErrorCode } from '../../../shared/errors'
import { CoreError } from '../errors'

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

/** Seconds from the body's retry hints: 429 `details.retryAfter`, 503 `retry_after` [DOC]/[ASSUMED]. */
function bodyRetryAfterMs(body: unknown): number | undefined {
  if (!body || typeof body !== 'object') return undefined
  const b = body as { retry_after?: unknown; error?: { details?: { retryAfter?: unknown } } }
  const s = b.error?.details?.retryAfter ?? b.retry_after
  return typeof s === 'number' && Number.isFinite(s) && s >= 0 ? Math.round(s * 1000) : undefined
}

export function mapHttpError(body: unknown, ctx: ErrorContext): CoreError {
  const parsed = MeshquErrorBodySchema.safeParse(body)
  const code: ErrorCode = STATUS_CODES[ctx.status] ?? (ctx.status >= 500 ? 'UPSTREAM' : 'VALIDATION')
  const correlationId = ctx.correlationId ?? (parsed.success ? parsed.data.correlation_id : undefined)
  const retryAfterMs = ctx.retryAfterMs ?? bodyRetryAfterMs(body)
  const extra: Omit<AppError, 'code' | 'message'> = { status: ctx.status }
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

/** fetch() rejected: no answer at all. Unreachable hosts are OFFLINE; a TLS failure says so. */
export function mapNetworkError(err: unknown, tenantLabel: string, host: string): CoreError {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } })?.cause
  const code = typeof cause?.code === 'string' ? cause.code : ''
  if (TLS_CODES.test(code)) {
    return new CoreError(
      'UPSTREAM',
      `The TLS certificate of ${host} was not accepted for tenant ${tenantLabel} (${code}). Check the base URL; KeyDesk will not skip certificate checks.`
    )
  }
  const why = code ? ` (${code})` : ''
  return new CoreError('OFFLINE', `Could not reach ${host} for tenant ${tenantLabel}${why}. Check your network or VPN, then retry.`)
}

export function timeoutError(tenantLabel: string, host: string, ms: number, nonIdempotent = false): CoreError {
  const advice = nonIdempotent ? 'The change may have been applied; refresh the list before trying again.' : 'It is safe to retry.'
  return new CoreError('TIMEOUT', `${host} did not answer within ${Math.round(ms / 1000)} s for tenant ${tenantLabel}. ${advice}`)
}

export function unreadableResponse(tenantLabel: string, status: number, what: string, correlationId?: string): CoreError {
  return new CoreError(
    'UPSTREAM',
    `MeshQu answered tenant ${tenantLabel} with ${what} (${status}); KeyDesk did not use it.${correlationId ? ` Correlation id ${correlationId}.` : ''}`,
    correlationId ? { status, correlationId } : { status }
  )
}
