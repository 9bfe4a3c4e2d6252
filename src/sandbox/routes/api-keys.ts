import type { FastifyInstance } from 'fastify'
import { caller, type SandboxContext } from '../context'
import { SandboxError } from '../errors'
import { toApiKey } from '../records'
import { parseCreateKeyBody, parseKeyListQuery } from '../validation'

type IdParams = { Params: { id: string } }
const config = { scope: 'api-keys:admin' } as const

const notFound = (id: string) => new SandboxError('NOT_FOUND', `No API key ${id} in this tenant`)

/** The API-key endpoints (API.md), all behind api-keys:admin. */
export function apiKeyRoutes(ctx: SandboxContext) {
  return async (app: FastifyInstance) => {
    app.post('/v1/api-keys', { config }, async (request, reply) => {
      const { actor, tenantId } = caller(request.sb)
      const body = parseCreateKeyBody(request.body, ctx.now())
      const { record, plaintext } = ctx.store.createKey(tenantId, body, actor)
      return reply.code(201).send({ key: toApiKey(record, ctx.now()), plaintext_key: plaintext })
    })

    app.get('/v1/api-keys', { config }, async (request) => {
      const { tenantId } = caller(request.sb)
      const q = parseKeyListQuery(request.query as Record<string, unknown>)
      const { data, total } = ctx.store.listKeys(tenantId, q)
      const nowMs = ctx.now()
      return {
        data: data.map((k) => toApiKey(k, nowMs)),
        pagination: { total, limit: q.limit, offset: q.offset, has_more: q.offset + data.length < total }
      }
    })

    app.get<IdParams>('/v1/api-keys/:id', { config }, async (request) => {
      const { tenantId } = caller(request.sb)
      const record = ctx.store.getKey(tenantId, request.params.id)
      if (!record) throw notFound(request.params.id)
      return { key: toApiKey(record, ctx.now()) }
    })

    app.delete<IdParams>('/v1/api-keys/:id', { config }, async (request) => {
      const { actor, tenantId } = caller(request.sb)
      const record = ctx.store.revokeKey(tenantId, request.params.id, actor)
      if (!record) throw notFound(request.params.id)
      return { key: toApiKey(record, ctx.now()) }
    })
  }
}
