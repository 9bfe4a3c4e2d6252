/** MeshQu error codes the sandbox answers with (API.md, the errors table [DOC]). */
export type SandboxErrorCode =
  | 'VALIDATION_ERROR'
  | 'MISSING_TENANT_ID'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'REQUEST_TIMEOUT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE'

export const STATUS_OF: Readonly<Record<SandboxErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  MISSING_TENANT_ID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503
}

/** Thrown anywhere in a request; the server's error handler turns it into the [DOC] error body. */
export class SandboxError extends Error {
  readonly status: number
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    status?: number
  ) {
    super(message)
    this.name = 'SandboxError'
    this.status = status ?? STATUS_OF[code]
  }
}

/** `{ "error": { "code", "message", "details" }, "correlation_id" }` [DOC] */
export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> }
  correlation_id: string
}

export function errorBody(err: Pick<SandboxError, 'code' | 'message' | 'details'>, correlationId: string): ErrorBody {
  return { error: { code: err.code, message: err.message, details: err.details }, correlation_id: correlationId }
}

export const validationError = (fields: Record<string, string>, message = 'The request is invalid') =>
  new SandboxError('VALIDATION_ERROR', message, { fields })
