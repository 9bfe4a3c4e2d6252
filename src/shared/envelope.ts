import { z } from 'zod'
import { AppErrorSchema } from './errors'
import { RateLimitSnapshotSchema } from './ratelimit'
import { TenantStatusSchema } from './tenants'

export const ServedFromSchema = z.enum(['network', 'store', 'local'])

export const MetaSchema = z.object({
  /** The tenant profile the call concerned, or null for app-wide calls. */
  tenantId: z.string().nullable(),
  rateLimit: RateLimitSnapshotSchema.optional(),
  servedFrom: ServedFromSchema,
  /** When the data was last confirmed by MeshQu (epoch ms), or null when it never was. */
  syncedAt: z.number().nullable(),
  /**
   * The tenant's status (online, offline, admin key refused, …) after this call, so the sidebar
   * follows every reply without asking for the tenant list again. Absent for app-wide calls.
   */
  tenantStatus: TenantStatusSchema.optional()
})
export type Meta = z.infer<typeof MetaSchema>

/** What a failed reply says about its tenant: the same status, for the same reason. */
export const FailMetaSchema = MetaSchema.pick({ tenantId: true, tenantStatus: true })
export type FailMeta = z.infer<typeof FailMetaSchema>

export function replySchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data, meta: MetaSchema }),
    z.object({ ok: z.literal(false), error: AppErrorSchema, meta: FailMetaSchema.optional() })
  ])
}

export type Ok<T> = { ok: true; data: T; meta: Meta }
export type Fail = { ok: false; error: z.infer<typeof AppErrorSchema>; meta?: FailMeta }
/** Every IPC answer. Nothing throws across IPC. */
export type Reply<T> = Ok<T> | Fail
