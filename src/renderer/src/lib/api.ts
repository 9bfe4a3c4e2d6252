import { createBridge, type KeyDeskApi } from '../../../shared/bridge'
import type { Channel } from '../../../shared/contract'
import type { FailMeta, Meta, Reply } from '../../../shared/envelope'
import type { AppError } from '../../../shared/errors'

declare global {
  interface Window {
    keydesk: KeyDeskApi
  }
}

/** The meta of any reply, ok or not: what the sidebar's tenant status follows. */
export type ReplyMeta = Meta | FailMeta
type ReplyListener = (meta: ReplyMeta) => void
const listeners = new Set<ReplyListener>()

/** Hears the meta of every reply that passes through api(); returns the unsubscribe. */
export function onReplyMeta(listener: ReplyListener): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

/**
 * window.keydesk (the preload's bridge in Electron, the harness's or the web preview's elsewhere),
 * seen through the same bridge shape once more so every reply's meta reaches the listeners. Only
 * feature hooks call this; components use the hooks.
 */
let observed: { source: KeyDeskApi; api: KeyDeskApi } | null = null
export function api(): KeyDeskApi {
  const source = window.keydesk
  if (observed?.source !== source) {
    const call = (channel: Channel, payload: unknown) => {
      const [area, op] = channel.split('.') as [string, string]
      const group = (source as unknown as Record<string, Record<string, (input?: unknown) => Promise<Reply<unknown>>>>)[area]!
      return group[op]!(payload)
    }
    observed = {
      source,
      api: createBridge(
        async (channel, payload) => {
          const reply = await call(channel, payload)
          if (reply?.meta) for (const l of listeners) l(reply.meta)
          return reply
        },
        // The source's stream as it is (a bridge without one, a test's fake, hears nothing).
        (onBatch, onLink) => source.events?.subscribe(onBatch, onLink) ?? (() => {})
      )
    }
  }
  return observed.api
}

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
