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
