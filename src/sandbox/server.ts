import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { authenticate } from './auth'
import type { SandboxContext } from './context'
import { errorBody, SandboxError } from './errors'
import { isLoopbackAddress, isOwnHost } from './loopback'
import { rateLimitHeaders } from './ratelimit'
import { injectedError, tooManyRequests } from './responses'
import { apiKeyRoutes } from './routes/api-keys'
import { auditRoutes } from './routes/audit'
import { controlRoutes } from './routes/control'
import { healthRoutes } from './routes/health'

const isControlPath = (path: string) => path === '/__sandbox' || path.startsWith('/__sandbox/')
const isV1Path = (path: string) => path === '/v1' || path.startsWith('/v1/')

function decodedPath(url: string): string {
  const raw = url.split('?')[0] ?? '/'
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/**
 * A control request is judged by the route fastify matched (its router decodes `%5F`, so the raw
 * URL `/%5F%5Fsandbox/tenants` runs the `/__sandbox/tenants` handler), and, for requests that match
 * no route, by the decoded path.
 */
function isControlRequest(request: FastifyRequest): boolean {
  const route = request.routeOptions?.url
  return (route !== undefined && isControlPath(route)) || isControlPath(decodedPath(request.url))
}

/**
 * Anything a browser adds to a request it sends on a page's behalf: an `Origin`, or a
 * `Sec-Fetch-Site` other than `none` (`none` is the user's own navigation). Terminal clients and
 * KeyDesk itself (Node's fetch) send neither.
 */
function fromBrowserPage(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site']
  return request.headers.origin !== undefined || (site !== undefined && site !== 'none')
}

/**
 * The fastify app. Pipeline per request (onRequest):
 *   correlation id → Host check (loopback names or the bound address, with our port)
 *                  → no request a web page made a browser send, on any route
 *                  → /__sandbox: loopback peer, no rate counting
 *                  → /v1: faults (drop, latency, 429 storm, error rate)
 *                  → pre-auth rate limit per client IP → authentication for routes with a scope.
 * Every response, errors included, gets x-correlation-id and rate-limit-* headers (onSend).
 */
export function buildServer(ctx: SandboxContext): FastifyInstance {
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: 256 * 1024,
    return503OnClosing: false
  })
  app.decorateRequest('sb', null as never)

  // Lenient JSON: an empty body (e.g. a DELETE sent with content-type json) is "no body".
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body)
    if (text.trim() === '') return done(null, undefined)
    try {
      done(null, JSON.parse(text))
    } catch {
      done(new SandboxError('VALIDATION_ERROR', 'The body is not valid JSON', { fields: { body: 'Malformed JSON' } }), undefined)
    }
  })

  const ensureState = (request: FastifyRequest) => {
    request.sb ??= { correlationId: randomUUID(), rate: null, actor: null, tenantId: null }
    return request.sb
  }
  const clientId = (request: FastifyRequest) => request.socket?.remoteAddress ?? request.ip ?? 'unknown'

  app.addHook('onRequest', async (request, reply) => {
    const sb = ensureState(request)
    const path = request.url.split('?')[0] ?? '/'

    // DNS rebinding: a page whose name now resolves to 127.0.0.1 still sends its own name as Host.
    if (!isOwnHost(request.headers.host, { address: request.socket?.localAddress, port: request.socket?.localPort })) {
      throw new SandboxError(
        'FORBIDDEN',
        'The sandbox answers requests addressed to localhost, a loopback address or its own address, with its own port'
      )
    }

    // The embedded sandbox lives in KeyDesk's main process: no web page may drive it, and none may
    // spend the per-IP budget KeyDesk's own calls share (a refused request is never counted).
    if (fromBrowserPage(request)) {
      sb.rate = ctx.limiter.peek('pre-auth', clientId(request))
      throw new SandboxError('FORBIDDEN', 'The sandbox refuses requests sent by web pages (an Origin, or a Sec-Fetch-Site other than none)')
    }

    if (isControlRequest(request)) {
      sb.rate = ctx.limiter.peek('pre-auth', clientId(request))
      if (!isLoopbackAddress(request.socket?.remoteAddress)) {
        throw new SandboxError('FORBIDDEN', 'The /__sandbox control routes answer loopback clients only')
      }
      return
    }

    if (isV1Path(path)) {
      if (ctx.faults.takeDrop()) {
        reply.hijack()
        request.raw.socket.destroy()
        return reply
      }
      if (ctx.faults.latencyMs > 0) await ctx.sleep(ctx.faults.latencyMs)
      const failure = ctx.faults.takeFailure()
      if (failure) {
        const tier = request.headers.authorization ? ctx.limiter.current.limit : ctx.limiter.current.preAuthLimit
        if (failure.kind === 'storm') {
          sb.rate = { limit: tier, remaining: 0, resetEpochSeconds: Math.ceil(ctx.now() / 1000) + failure.retryAfterSeconds }
          throw tooManyRequests(failure.retryAfterSeconds)
        }
        sb.rate = ctx.limiter.peek('pre-auth', clientId(request))
        throw injectedError(failure.status, failure.retryAfter)
      }
    }

    const pre = ctx.limiter.consume('pre-auth', clientId(request))
    sb.rate = pre
    if (!pre.allowed) throw tooManyRequests(pre.retryAfter)

    const scope = request.routeOptions.config?.scope
    if (scope) authenticate(ctx, request, scope)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const sb = ensureState(request)
    reply.header('x-correlation-id', sb.correlationId)
    const rate = sb.rate ?? ctx.limiter.peek('pre-auth', clientId(request))
    for (const [name, value] of Object.entries(rateLimitHeaders(rate))) reply.header(name, value)
    return payload
  })

  app.setErrorHandler((error: FastifyError | SandboxError, request: FastifyRequest, reply: FastifyReply) => {
    const sb = ensureState(request)
    let err: SandboxError
    if (error instanceof SandboxError) {
      err = error
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // fastify's own request errors: body too large, unsupported content type, bad URL…
      err = new SandboxError('VALIDATION_ERROR', error.message, { fields: { body: error.message } })
    } else {
      ctx.log(`sandbox: internal error on ${request.method} ${request.url}: ${String(error?.stack ?? error)}`)
      err = new SandboxError('INTERNAL_ERROR', 'Internal error')
    }
    for (const [name, value] of Object.entries(err.headers)) reply.header(name, value)
    return reply.code(err.status).type('application/json').send(errorBody(err, sb.correlationId))
  })

  app.setNotFoundHandler((request, reply) => {
    const sb = ensureState(request)
    const path = request.url.split('?')[0]
    return reply
      .code(404)
      .type('application/json')
      .send(errorBody(new SandboxError('NOT_FOUND', `No route ${request.method} ${path}`), sb.correlationId))
  })

  app.register(healthRoutes(ctx))
  app.register(apiKeyRoutes(ctx))
  app.register(auditRoutes(ctx))
  app.register(controlRoutes(ctx.control))
  return app
}
