import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import { CreateTenantInputSchema, LimitsInputSchema, PresentInputSchema, SeedInputSchema, type SandboxControl } from '../control'
import { FaultsInputSchema } from '../faults'
import { isPlainObject, issuesToFields } from '../validation'
import { validationError } from '../errors'

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const input = body === undefined || body === null ? {} : body
  if (!isPlainObject(input)) throw validationError({ body: 'The body must be a JSON object' })
  const result = schema.safeParse(input)
  if (!result.success) throw validationError(issuesToFields(result.error.issues, input))
  return result.data
}

/** Loopback-only sandbox controls (the loopback check runs in the server's onRequest hook). */
export function controlRoutes(control: SandboxControl) {
  return async (app: FastifyInstance) => {
    app.post('/__sandbox/tenants', async (request, reply) => {
      const body = parseBody(CreateTenantInputSchema, request.body)
      return reply.code(201).send(await control.createTenant(body))
    })

    app.post<{ Params: { id: string } }>('/__sandbox/tenants/:id/seed', async (request) => {
      const body = parseBody(SeedInputSchema, request.body)
      return control.seed(request.params.id, body.count)
    })

    app.post<{ Params: { id: string } }>('/__sandbox/tenants/:id/present', async (request) =>
      control.present(request.params.id, parseBody(PresentInputSchema, request.body))
    )

    app.put('/__sandbox/limits', async (request) => control.setLimits(parseBody(LimitsInputSchema, request.body)))

    app.put('/__sandbox/faults', async (request) => ({ faults: control.setFaults(parseBody(FaultsInputSchema, request.body)) }))

    app.delete('/__sandbox/faults', async () => ({ faults: control.clearFaults() }))

    app.get('/__sandbox/state', async () => control.state())
  }
}
