import { z } from 'zod'
import { PolicyRuleSchema } from './policy'

/** The closed set of error codes that cross IPC. The renderer has one sentence for each. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'OFFLINE',
  'TIMEOUT',
  'UPSTREAM',
  'KEYCHAIN_UNAVAILABLE',
  /**
   * A tenant's bound settings (base URL, tenant id, environment) in profiles.json differ from the
   * ones its admin key was confirmed for in the keychain; the key was not sent.
   */
  'SETTINGS_CHANGED',
  'READ_ONLY',
  /** The operator stopped the operation before it wrote anything (a verification's Cancel). */
  'CANCELLED',
  /** The fleet store refuses to open a file it cannot trust as it is (StoreStatus.problem says why). */
  'STORE_UNREADABLE',
  /**
   * A create or rotate outside the fleet policy of the tenant's environment, without a waiver;
   * nothing was sent. `rule` names the broken rule and `fields` carries its sentence on the field.
   */
  'POLICY',
  'INTERNAL'
] as const
export const ErrorCodeSchema = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof ErrorCodeSchema>

export const AppErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  retryAfterMs: z.number().int().nonnegative().optional(),
  correlationId: z.string().optional(),
  /** HTTP status MeshQu answered with, when it answered. */
  status: z.number().int().optional(),
  /** Field path → message, for forms. */
  fields: z.record(z.string(), z.string()).optional(),
  /**
   * Set on every error from the MeshQu client. Whether the request could have taken effect:
   * 'not-sent' (it never left KeyDesk or never reached a server), 'rejected' (MeshQu answered and
   * did not apply it), 'unknown' (it may have been applied: connection dropped, timed out, a
   * gateway error, or an answer KeyDesk could not read). Code branches on this, never on text.
   */
  outcome: z.enum(['not-sent', 'unknown', 'rejected']).optional(),
  /** The fleet-policy rule a POLICY error is about (the first broken one). */
  rule: PolicyRuleSchema.optional(),
  /** True when an HTTP answer (status and headers) came back from the server. */
  reachedServer: z.boolean().optional()
})
export type AppError = z.infer<typeof AppErrorSchema>
export type RequestOutcome = NonNullable<AppError['outcome']>
