import { z } from 'zod'
import { TenantStatusSchema } from './tenants'

/**
 * Background sync of the whole fleet (main/core/sync/fleet-sync.ts): what main tells the renderer
 * about it. Freshness is each tenant's last complete list in the fleet store (`syncedAt`); data
 * older than two sync periods is `stale`.
 */

/** Why a run was started. */
export const SYNC_TRIGGERS = ['start', 'timer', 'network', 'manual', 'settle'] as const
export const SyncTriggerSchema = z.enum(SYNC_TRIGGERS)
export type SyncTrigger = z.infer<typeof SyncTriggerSchema>

/** Why a tenant was left out of a run (said in the UI, never silent). */
export const SYNC_SKIPS = ['offline', 'keychain-locked', 'auth-failed', 'stopped', 'rate-limited'] as const
export const SyncSkipSchema = z.enum(SYNC_SKIPS)
export type SyncSkip = z.infer<typeof SyncSkipSchema>

export const TenantSyncSchema = z.object({
  tenant: z.string(),
  status: TenantStatusSchema,
  /** When its last complete list reached the fleet store, or null (never listed). */
  syncedAt: z.number().nullable(),
  /** Older than two sync periods. */
  stale: z.boolean(),
  /** Its place in the current or last run. */
  state: z.enum(['idle', 'queued', 'syncing', 'synced', 'skipped', 'failed']),
  skipped: SyncSkipSchema.nullable(),
  /** The last run's failure for this tenant, in one sentence (no secret: it passed redact()). */
  error: z.string().nullable(),
  /** After a 429: nothing is sent to the tenant before this instant (main's clock). */
  rateLimitedUntil: z.number().nullable(),
  /** A write's outcome is unknown; the list that settles it is started at once. */
  settling: z.boolean()
})
export type TenantSync = z.infer<typeof TenantSyncSchema>

export const HostStateSchema = z.object({
  baseUrl: z.string(),
  /** null until a call or a probe has said. */
  reachable: z.boolean().nullable(),
  checkedAt: z.number().nullable()
})
export type HostState = z.infer<typeof HostStateSchema>

export const SyncStatusSchema = z.object({
  /** A run in progress: "Syncing 12 of 50 tenants". */
  running: z.boolean(),
  trigger: SyncTriggerSchema.nullable(),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  startedAt: z.number().nullable(),
  lastFinishedAt: z.number().nullable(),
  /** The last run ended by Cancel. */
  cancelled: z.boolean(),
  /** The setting, in ms: a run every this long; stale = older than twice it. */
  periodMs: z.number().int().positive(),
  /** Main's clock when this was answered (the renderer counts "4 min ago" from it). */
  now: z.number(),
  tenants: z.array(TenantSyncSchema),
  hosts: z.array(HostStateSchema)
})
export type SyncStatus = z.infer<typeof SyncStatusSchema>

/** Older than two sync periods. */
export const isStale = (syncedAt: number | null, periodMs: number, now: number): boolean => syncedAt === null || now - syncedAt > 2 * periodMs
