import type { KeyDeskApi } from '../../../shared/bridge'
import type { Reply } from '../../../shared/envelope'
import type { AppError } from '../../../shared/errors'

declare global {
  interface Window {
    keydesk: KeyDeskApi
  }
}

/** window.keydesk: the preload's bridge in Electron, the harness's or the web preview's elsewhere. */
export const api = (): KeyDeskApi => window.keydesk

/** An error reply, thrown so React Query can hold it; carries the AppError as it came. */
export class KeyDeskError extends Error {
  constructor(readonly error: AppError) {
    super(error.message)
    this.name = 'KeyDeskError'
  }
}

export function unwrap<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new KeyDeskError(reply.error)
  return reply.data
}

/** The data with its meta, for views that show where it came from (network or cache). */
export function unwrapWithMeta<T>(reply: Reply<T>) {
  if (!reply.ok) throw new KeyDeskError(reply.error)
  return { data: reply.data, meta: reply.meta }
}

export function appErrorOf(err: unknown): AppError {
  if (err instanceof KeyDeskError) return err.error
  return { code: 'INTERNAL', message: 'KeyDesk hit an unexpected error in the window. Reload it (Ctrl+R); nothing was changed.' }
}
