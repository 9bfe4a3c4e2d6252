import type { FastifyInstance } from 'fastify'
import { SANDBOX_VERSION, type SandboxContext } from '../context'
import { SandboxError } from '../errors'

/** GET /v1/health and GET /v1/ready [DOC]: no authentication. */
export function healthRoutes(ctx: SandboxContext) {
  return async (app: FastifyInstance) => {
    app.get('/v1/health', async () => ({
      status: 'healthy',
      timestamp: new Date(ctx.now()).toISOString(),
      version: SANDBOX_VERSION
    }))

    app.get('/v1/ready', async () => {
      if (ctx.faults.notReady) {
        throw new SandboxError('SERVICE_UNAVAILABLE', 'The service is not ready', { checks: { database: 'unavailable' } })
      }
      return { status: 'ready', timestamp: new Date(ctx.now()).toISOString() }
    })
  }
}
