import type { AppError, ErrorCode } from '../../shared/errors'
import { redact, redactDeep } from './redact'

/** The one error type core code throws; the router turns it into an `{ ok: false }` reply. */
export class CoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<AppError, 'code' | 'message'> = {}
  ) {
    super(message)
    this.name = 'CoreError'
  }

  toAppError(): AppError {
    // Extras too: `fields` and server details can echo what was sent, a key included.
    return { code: this.code, message: redact(this.message), ...redactDeep(this.extra) }
  }
}

/** Anything thrown becomes a safe AppError: known errors keep their code, the rest are INTERNAL. */
export function toAppError(err: unknown): AppError {
  if (err instanceof CoreError) return err.toAppError()
  if (err && typeof err === 'object' && 'name' in err && err.name === 'KeychainUnavailableError') {
    return { code: 'KEYCHAIN_UNAVAILABLE', message: redact(String((err as Error).message)) }
  }
  return {
    code: 'INTERNAL',
    message: 'KeyDesk hit an unexpected error. Nothing was changed by it; try again, and report it if it repeats.'
  }
}
