import { z } from 'zod'
import { AppErrorSchema } from './errors'
import { RateLimitSnapshotSchema } from './ratelimit'

export const ServedFromSchema = z.enum(['network', 'cache', 'local'])

export const MetaSchema = z.object({
  /** The tenant profile the call concerned, or null for app-wide calls. */
  tenantId: z.string().nullable(),
  rateLimit: RateLimitSnapshotSchema.optional(),
  servedFrom: ServedFromSchema,
  /** When the data was last confirmed by MeshQu (epoch ms), or null when it never was. */
  syncedAt: z.number().nullable()
})
export type Meta = z.infer<typeof MetaSchema>

export function replySchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data, meta: MetaSchema }),
    z.object({ ok: z.literal(false), error: AppErrorSchema })
  ])
}

export type Ok<T> = { ok: true; data: T; meta: Meta }
export type Fail = { ok: false; error: z.infer<typeof AppErrorSchema> }
/** Every IPC answer. Nothing throws across IPC. */
export type Reply<T> = Ok<T> | Fail
