import { KeyDeskEventSchema, type EventBatch, type KeyDeskEvent } from '../../../shared/events'
import type { Logger } from '../log'

/** How long a burst is gathered before it is sent as one batch. */
export const EVENT_FLUSH_MS = 50
/** More key ids than this in one tenant's store change are not named (the store's readers are asked again all the same). */
const MAX_NAMED_KEYS = 500
/** The most events one batch holds (EventBatchSchema's cap). */
export const MAX_BATCH = 1000

export type EventListener = (batch: EventBatch) => void

/**
 * Main's events for the renderer (src/shared/events.ts). Services emit into it and never wait:
 * emitting only queues, and one timer later the queue goes to every subscriber as one batch, a
 * burst folded where the events say the same thing (one tenant's store changes merged, a job's
 * progress once). Each event is checked against the schema as it is emitted, so a transport only
 * forwards. With nobody subscribed nothing is kept.
 */
export function createEventBus(opts: { log: Logger; flushMs?: number }) {
  const listeners = new Set<EventListener>()
  let queue: KeyDeskEvent[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let disposed = false

  function flush() {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!queue.length) return
    const events = queue
    queue = []
    // A receiver refuses a batch over the schema's cap whole, so a larger burst goes in several.
    for (let i = 0; i < events.length; i += MAX_BATCH) {
      const batch: EventBatch = { events: events.slice(i, i + MAX_BATCH) }
      for (const l of [...listeners]) {
        try {
          l(batch)
        } catch (err) {
          opts.log.warn('event listener failed', err)
        }
      }
    }
  }

  function emit(event: KeyDeskEvent) {
    if (disposed || listeners.size === 0) return
    const parsed = KeyDeskEventSchema.safeParse(event)
    if (!parsed.success) {
      opts.log.warn(`event ${event.type} dropped: it breaks the event schema`)
      return
    }
    coalesce(queue, parsed.data)
    timer ??= setTimeout(flush, opts.flushMs ?? EVENT_FLUSH_MS)
    timer.unref?.()
  }

  return {
    emit,
    /** Hears every batch from now on; returns the unsubscribe. */
    subscribe(listener: EventListener): () => void {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    /** Sends what is queued now (tests; shutting down). */
    flush,
    dispose() {
      flush()
      disposed = true
      listeners.clear()
    }
  }
}

export type EventBus = ReturnType<typeof createEventBus>
/** What core services are given: emit only. */
export type EmitEvent = EventBus['emit']

const union = (a: string[] | undefined, b: string[] | undefined): string[] | undefined => {
  if (!a && !b) return undefined
  const all = [...new Set([...(a ?? []), ...(b ?? [])])]
  return all.length > MAX_NAMED_KEYS ? undefined : all
}

/**
 * Folds `e` into the queue in place: an event that says what a queued one says takes its place
 * (the first one's position kept); a schedule's run and a notice are each their own.
 */
export function coalesce(queue: KeyDeskEvent[], e: KeyDeskEvent): void {
  const at = (match: (q: KeyDeskEvent) => boolean) => queue.findIndex(match)
  switch (e.type) {
    case 'sync.changed': {
      // It says only "read the fleet sync's status again": one in a batch says it all.
      if (at((q) => q.type === 'sync.changed') < 0) queue.push(e)
      return
    }
    case 'tenant.status':
    case 'unlock.changed':
    case 'schedules.changed': {
      const i = at((q) => q.type === e.type && q.tenant === e.tenant)
      if (i >= 0) queue[i] = e
      else queue.push(e)
      return
    }
    case 'store.changed': {
      const i = at((q) => q.type === 'store.changed' && q.tenant === e.tenant)
      const was = i >= 0 ? (queue[i] as Extract<KeyDeskEvent, { type: 'store.changed' }>) : undefined
      if (!was) return void queue.push(e)
      const merged: KeyDeskEvent = { type: 'store.changed', tenant: e.tenant }
      const revoked = union(was.revoked, e.revoked)
      const written = union(was.written, e.written)
      if (revoked) merged.revoked = revoked
      if (written) merged.written = written
      if (was.synced || e.synced) merged.synced = true
      queue[i] = merged
      return
    }
    case 'job.progress': {
      const i = at((q) => q.type === 'job.progress' && q.jobId === e.jobId)
      if (i >= 0) queue[i] = { ...e, finished: e.finished || (queue[i] as typeof e).finished }
      else queue.push(e)
      return
    }
    default:
      queue.push(e)
  }
}
