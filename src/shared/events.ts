import { z } from 'zod'
import { ErrorCodeSchema } from './errors'
import { TenantStatusSchema } from './tenants'

/**
 * What main tells the renderer changed, without being asked: one typed stream, defined here like
 * the channels and checked on both ends (main before sending, the bridge on receipt). Each event
 * names what it changed so the renderer asks again for exactly those answers; none carries a
 * secret or a whole list. Events come in batches: main coalesces a burst (a bulk job's hundred
 * revokes) into one message.
 */
const Handle = z.string().min(1).max(128)
const KeyIds = z.array(Handle).max(500)

export const KeyDeskEventSchema = z.discriminatedUnion('type', [
  /** A tenant's status (online, offline, admin key refused, …) changed in main. */
  z.object({ type: z.literal('tenant.status'), tenant: Handle, status: TenantStatusSchema }).strict(),
  /**
   * Main's fleet store changed for a tenant: `revoked` / `written` name the keys a write changed
   * (when few enough to name; otherwise absent), `synced` says a full list was stored.
   */
  z
    .object({
      type: z.literal('store.changed'),
      tenant: Handle,
      revoked: KeyIds.optional(),
      written: KeyIds.optional(),
      synced: z.boolean().optional()
    })
    .strict(),
  /** A bulk revoke made progress (or ended): its status is worth reading again. */
  z.object({ type: z.literal('job.progress'), jobId: Handle, tenants: z.array(Handle).max(1000), finished: z.boolean() }).strict(),
  /**
   * A scheduled revoke ran: `revoked`, `failed` (final, with its code) or `retrying` (it will be
   * tried again later). `keyName` is the name the schedule holds, for the toast.
   */
  z
    .object({
      type: z.literal('schedule.ran'),
      tenant: Handle,
      tenantLabel: z.string().max(200),
      keyId: Handle,
      keyName: z.string().max(512),
      outcome: z.enum(['revoked', 'failed', 'retrying']),
      errorCode: ErrorCodeSchema.optional()
    })
    .strict(),
  /** The schedules of a tenant changed (set, cancelled, claimed, held or released). */
  z.object({ type: z.literal('schedules.changed'), tenant: Handle }).strict(),
  /** A notice was raised (expiry, headroom, keys changed outside KeyDesk): `seq` is its number. */
  z.object({ type: z.literal('notice'), seq: z.number().int().nonnegative(), tenant: Handle.optional() }).strict(),
  /**
   * The fleet sync moved (a run started, a tenant synced or was skipped, a run ended) or a host went
   * or came back: its status (progress, freshness, each tenant's status) is worth reading again.
   */
  z.object({ type: z.literal('sync.changed') }).strict(),
  /** An unlock of a read-only tenant's writes started or ended. */
  z.object({ type: z.literal('unlock.changed'), tenant: Handle, unlocked: z.boolean() }).strict()
])
export type KeyDeskEvent = z.infer<typeof KeyDeskEventSchema>
export type KeyDeskEventType = KeyDeskEvent['type']

/** One message of the stream: a burst of events, in the order they happened. */
export const EventBatchSchema = z.object({ events: z.array(KeyDeskEventSchema).min(1).max(1000) }).strict()
export type EventBatch = z.infer<typeof EventBatchSchema>

/** The Electron channel main sends batches on (webContents.send); no invoke handler answers it. */
export const EVENTS_CHANNEL = 'keydesk:events'
/** The web preview's stream path, beside /rpc on the same loopback server. */
export const EVENTS_PATH = '/events'

/** Whether the stream reaches main: the web preview's tab loses it when its server stops. */
export type EventLink = 'open' | 'lost' | 'refused'

/** A transport's subscribe: batches as they come (already checked), and the link's state. */
export type SubscribeEvents = (onBatch: (batch: EventBatch) => void, onLink?: (link: EventLink) => void) => () => void

/** Checks a batch as it arrives from any transport; what breaks the schema is dropped, not half-used. */
export function parseEventBatch(raw: unknown): EventBatch | null {
  const parsed = EventBatchSchema.safeParse(raw)
  return parsed.success ? parsed.data : null
}
