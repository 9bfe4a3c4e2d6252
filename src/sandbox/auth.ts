import type { FastifyRequest } from 'fastify'
import type { Scope } from '../shared/scopes'
import type { SandboxContext } from './context'
import { SandboxError } from './errors'
import { tooManyRequests } from './responses'
import { keyState, type KeyRecord } from './records'

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name]
  const s = Array.isArray(v) ? v[0] : v
  return s?.trim() || undefined
}

/** `Authorization: Bearer <key>` → the key, or undefined. */
export function bearerToken(value: string | undefined): string | undefined {
  const m = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null
  return m?.[1]
}

/**
 * Authenticate and authorise one request [DOC]:
 * tenant header (400 MISSING_TENANT_ID) → key known, not revoked, not expired (401) → key of the
 * header's tenant (403) → last_used_at → post-auth rate limit (429) → scope (403).
 * Denials are written to the audit log of the header's tenant as `auth.denied`.
 */
export function authenticate(ctx: SandboxContext, request: FastifyRequest, scope: Scope): void {
  const path = request.url.split('?')[0]
  const tenantId = header(request, 'x-meshqu-tenant-id')
  if (!tenantId) throw new SandboxError('MISSING_TENANT_ID', 'The X-MeshQu-Tenant-Id header is required')

  const deny = (actor: KeyRecord | null, reason: string, extra: Record<string, unknown> = {}) =>
    ctx.store.audit(tenantId, 'auth.denied', actor, null, { reason, method: request.method, path, ...extra })

  const token = bearerToken(header(request, 'authorization'))
  if (!token) {
    deny(null, 'missing_credentials')
    throw new SandboxError('UNAUTHORIZED', 'An API key is required: send Authorization: Bearer <API key>')
  }
  const key = ctx.store.findByPlaintext(token)
  if (!key) {
    deny(null, 'unknown_key')
    throw new SandboxError('UNAUTHORIZED', 'The API key is not valid')
  }
  const own = key.tenant_id === tenantId ? key : null
  const state = keyState(key, ctx.now())
  if (state !== 'active') {
    deny(own, state === 'revoked' ? 'key_revoked' : 'key_expired')
    throw new SandboxError('UNAUTHORIZED', state === 'revoked' ? 'The API key has been revoked' : 'The API key has expired')
  }
  if (!own) {
    deny(null, 'tenant_mismatch')
    throw new SandboxError('FORBIDDEN', `The API key does not belong to tenant ${tenantId}`)
  }

  ctx.store.touch(key)
  const rate = ctx.limiter.consume('post-auth', `${tenantId}:${key.id}`)
  request.sb.rate = rate
  if (!rate.allowed) throw tooManyRequests(rate.retryAfter)

  if (!key.scopes.includes(scope)) {
    deny(key, 'missing_scope', { scope })
    throw new SandboxError('FORBIDDEN', `This API key lacks the required scope: ${scope}`, { required_scope: scope })
  }
  request.sb.actor = key
  request.sb.tenantId = tenantId
}
