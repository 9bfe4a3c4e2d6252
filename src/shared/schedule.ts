import { z } from 'zod'
import { ErrorCodeSchema } from './errors'
import { KeyIdSchema, KeyNameEchoSchema } from './meshqu'
import { ReasonSchema } from './journal'

/**
 * Scheduled revokes: "revoke the old key in 24 h". Kept in the fleet store and run
 * by main when due, paced like any write. Shared by the contract, main and (later) the UI.
 */
export const ScheduleStateSchema = z.enum(['scheduled', 'running', 'done', 'failed', 'cancelled'])
export type ScheduleState = z.infer<typeof ScheduleStateSchema>

/** The presets of the schedule menu; `now` runs at the runner's next check (within seconds). */
export const SCHEDULE_PRESETS = { now: 0, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const
export const SchedulePresetSchema = z.enum(['now', '1h', '24h', '7d'])

/** A chosen time may be at most a year ahead. */
export const SCHEDULE_MAX_AHEAD_MS = 366 * 86_400_000

/** When: a preset (`in`) or a chosen time (`at`, epoch ms), exactly one of them. */
export const ScheduleWhenSchema = z
  .object({ at: z.number().int().nonnegative().optional(), in: SchedulePresetSchema.optional() })
  .strict()
  .refine((w) => (w.at === undefined) !== (w.in === undefined), { message: 'Give either a time (at) or a delay (in)', path: ['at'] })
export type ScheduleWhen = z.infer<typeof ScheduleWhenSchema>

const Text = z.string().max(4096)
const Handle = z.string().min(1).max(128)

export const ScheduleRevokeInputSchema = z
  .object({
    tenant: Handle,
    keyId: KeyIdSchema,
    /** For the list and the journal; read from the store's copy of the key when not given. */
    keyName: KeyNameEchoSchema.optional(),
    at: z.number().int().nonnegative().optional(),
    in: SchedulePresetSchema.optional(),
    reason: ReasonSchema
  })
  .strict()
  .refine((w) => (w.at === undefined) !== (w.in === undefined), { message: 'Give either a time (at) or a delay (in)', path: ['at'] })

export const ScheduledRevokeSchema = z.object({
  id: z.number().int(),
  tenant: Text,
  keyId: Text,
  keyName: Text,
  keyPreview: Text.nullable(),
  dueAt: z.number(),
  state: ScheduleStateSchema,
  /** Attempts made so far (offline retries count). */
  attempts: z.number().int(),
  /** While retrying after a transient failure (offline): when the next attempt is due. */
  nextAttemptAt: z.number().nullable(),
  lastErrorCode: ErrorCodeSchema.nullable(),
  lastError: Text.nullable(),
  reason: Text.nullable(),
  createdAt: z.number(),
  doneAt: z.number().nullable(),
  /** Countdown data: due time has passed and it has not run yet (e.g. offline). */
  overdue: z.boolean(),
  /** dueAt minus now (negative once due), so the UI can count down without its own clock skew. */
  msUntilDue: z.number(),
  /** It came due while KeyDesk was closed and ran at the next start. */
  away: z.boolean()
})
export type ScheduledRevoke = z.infer<typeof ScheduledRevokeSchema>

/**
 * The runner is holding every scheduled revoke: the wall clock ran ahead of the time that really
 * passed (jobs/clock-watch.ts). Cleared by `schedule.resume` or when the clocks agree again.
 */
export const ScheduleHoldSchema = z.object({
  /** Wall-clock time the hold began (the jumped clock's reading). */
  since: z.number(),
  /** How far the wall clock ran ahead of real time. */
  jumpMs: z.number(),
  /** What the time would be by the last trusted reading plus the real time since. */
  trustedAt: z.number(),
  reason: Text
})
export type ScheduleHold = z.infer<typeof ScheduleHoldSchema>

export const ScheduleListInputSchema = z
  .object({
    tenant: Handle.optional(),
    keyId: KeyIdSchema.optional(),
    states: z.array(ScheduleStateSchema).max(5).optional(),
    limit: z.number().int().min(1).max(1000).default(200)
  })
  .strict()
