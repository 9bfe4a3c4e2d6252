import { z } from 'zod'

export const RateLimitTierSchema = z.enum(['post-auth', 'pre-auth'])

/** One reading of MeshQu's rate-limit-* headers. Times are epoch milliseconds. */
export const RateLimitSnapshotSchema = z.object({
  tier: RateLimitTierSchema,
  limit: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  resetAt: z.number().nonnegative(),
  observedAt: z.number().nonnegative()
})
export type RateLimitSnapshot = z.infer<typeof RateLimitSnapshotSchema>

/** One rate-limit window of a tenant as KeyDesk saw it, for the headroom chart. */
export const RateLimitWindowSchema = z.object({
  /** Epoch ms when the window ended (its rate-limit-reset). */
  resetAt: z.number(),
  limit: z.number().int().nonnegative(),
  /** Responses KeyDesk received in the window. */
  requests: z.number().int().nonnegative(),
  lowestRemaining: z.number().int().nonnegative(),
  rateLimited: z.number().int().nonnegative()
})
export type RateLimitWindow = z.infer<typeof RateLimitWindowSchema>

export const PacingStateSchema = z.object({
  waitingUntil: z.number().nullable(),
  reason: z.enum(['rate-limited', 'window-spent']).nullable()
})

export const HeadroomSchema = z.object({
  tenant: z.string(),
  current: RateLimitSnapshotSchema.nullable(),
  preAuth: RateLimitSnapshotSchema.nullable(),
  pacing: PacingStateSchema,
  history: z.array(RateLimitWindowSchema)
})
export type Headroom = z.infer<typeof HeadroomSchema>
