import { z } from 'zod'

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
  'READ_ONLY',
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
  fields: z.record(z.string(), z.string()).optional()
})
export type AppError = z.infer<typeof AppErrorSchema>
