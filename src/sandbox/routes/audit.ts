import type { FastifyInstance } from 'fastify'
import { caller, type SandboxContext } from '../context'
import { toAuditEvent } from '../records'
import { parseAuditQuery } from '../validation'

/** GET /v1/audit-events [ASSUMED], scope audit:read. */
export function auditRoutes(ctx: SandboxContext) {
  return async (app: FastifyInstance) => {
    app.get('/v1/audit-events', { config: { scope: 'audit:read' } }, async (request) => {
      const { tenantId } = caller(request.sb)
      const q = parseAuditQuery(request.query as Record<string, unknown>)
      const { data, total } = ctx.store.listAudit(tenantId, q)
      return {
        data: data.map(toAuditEvent),
        pagination: { total, limit: q.limit, offset: q.offset, has_more: q.offset + data.length < total }
      }
    })
  }
}
