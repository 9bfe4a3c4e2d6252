import { z } from 'zod'
import { ErrorCodeSchema } from './errors'
import { StoreIncidentSchema } from './store-trust'

/**
 * The operator journal: every write KeyDesk makes, recorded in the fleet store.
 * Shared by the contract, main and (later) the Journal view and detail panel.
 */

/**
 * key.create, key.revoke, key.rotate (entry on the old key; the replacement gets a key.create),
 * bulk.job (one per tenant of a bulk revoke, when it starts), bulk.revoke (one per key sent),
 * schedule.set / schedule.cancel (a revoke scheduled or cancelled), schedule.revoke (a scheduled
 * revoke that ran), schedule.hold / schedule.resume (a due revoke held because the wall clock
 * jumped ahead, and run once the clock was confirmed or agreed again), tenant.add, tenant.remove, tenant.adminKey (admin key replaced),
 * tenant.unlock / tenant.lock (a read-only tenant's writes unlocked, and that unlock's end, each
 * with its reason), tenant.protection (environment moved off production or protection lowered,
 * with the operator's reason), settlement
 * (a write whose outcome was unknown, settled by a later full list; `refSeq` names the original),
 * outside.ack (a key created or revoked outside KeyDesk, acknowledged: who in `detail`, why in `reason`),
 * policy.set (the fleet policy changed or imported; tenant '*'), policy.waiver (a key created
 * outside policy under a waiver: its reason, and until when in `detail`), leak.check (a pasted key's
 * validity checked against a tenant: the verdict in `detail`, never the key), leak.contain (the
 * incident of a leaked key contained: found when and where, what was done, first seen rejected),
 * campaign.start / campaign.cancel
 * (a rotation campaign, per tenant), campaign.revoke (an old key revoked by its campaign, with the
 * evidence in `detail`; also "Revoke anyway"), campaign.hold (held at the deadline, and why),
 * campaign.extend (a held key's deadline moved).
 */
export const JOURNAL_ACTIONS = [
  'key.create',
  'key.revoke',
  'key.rotate',
  'bulk.job',
  'bulk.revoke',
  'schedule.set',
  'schedule.cancel',
  'schedule.revoke',
  'schedule.hold',
  'schedule.resume',
  'tenant.add',
  'tenant.remove',
  'tenant.adminKey',
  'tenant.unlock',
  'tenant.lock',
  'tenant.protection',
  'settlement',
  'outside.ack',
  'policy.set',
  'policy.waiver',
  'leak.check',
  'leak.contain',
  'campaign.start',
  'campaign.revoke',
  'campaign.hold',
  'campaign.extend',
  'campaign.cancel'
] as const
export const JournalActionSchema = z.enum(JOURNAL_ACTIONS)
export type JournalAction = z.infer<typeof JournalActionSchema>

/**
 * ok | failed (with `errorCode`) | unknown ("may not have been applied": the connection dropped)
 * | applied / not-applied (only on settlement entries: what the later list showed).
 */
export const JournalOutcomeSchema = z.enum(['ok', 'failed', 'unknown', 'applied', 'not-applied'])
export type JournalOutcome = z.infer<typeof JournalOutcomeSchema>

const Text = z.string().max(4096)

export const JournalEntrySchema = z.object({
  /** Position in the chain; entries are listed newest first by it. */
  seq: z.number().int(),
  at: z.number(),
  /** The tenant's profile id and its label at the time (the tenant may be renamed or removed since). */
  tenantId: Text,
  tenantLabel: Text,
  action: JournalActionSchema,
  outcome: JournalOutcomeSchema,
  errorCode: ErrorCodeSchema.nullable(),
  keyId: Text.nullable(),
  keyName: Text.nullable(),
  /** A preview only (`mqu_live_...abcd`), never a key. */
  keyPreview: Text.nullable(),
  reason: Text.nullable(),
  /** One short, redacted sentence: the replacement key of a rotation, a due time, an error. */
  detail: Text.nullable(),
  /** The bulk job of bulk.job / bulk.revoke entries. */
  jobId: Text.nullable(),
  /** The entry this one settles (settlement entries). */
  refSeq: z.number().int().nullable(),
  /** sha256 over the previous entry's hash and this entry (hex). */
  hash: Text
})
export type JournalEntry = z.infer<typeof JournalEntrySchema>

/** What the operator typed as the reason for a write; bounded, blank = none. */
export const REASON_MAX = 500
export const ReasonSchema = z
  .string()
  .max(REASON_MAX, `A reason has at most ${REASON_MAX} characters`)
  .transform((s) => s.trim() || undefined)
  .optional()

const Handle = z.string().min(1).max(128)

export const JournalFilterSchema = z
  .object({
    tenant: Handle.optional(),
    actions: z.array(JournalActionSchema).max(JOURNAL_ACTIONS.length).optional(),
    /** Epoch ms, inclusive. */
    from: z.number().optional(),
    /** Epoch ms, exclusive. */
    to: z.number().optional()
  })
  .strict()

export const JournalListInputSchema = JournalFilterSchema.extend({
  limit: z.number().int().min(1).max(500).default(100),
  /** Cursor: only entries older than this seq (pass the previous page's `nextBefore`). */
  before: z.number().int().optional()
}).strict()

export const JournalPageSchema = z.object({
  entries: z.array(JournalEntrySchema),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: z.number().int().nullable()
})

/** At most this many broken entries are listed; `brokenCount` counts them all. */
export const VERIFY_BROKEN_MAX = 1000

export const JournalVerifySchema = z.object({
  /** The chain holds and the keychain's anchor found nothing to report. */
  intact: z.boolean(),
  /** Entries checked. */
  checked: z.number().int(),
  /** Every entry whose hash (edited) or link to its predecessor (one deleted or inserted) does not hold, oldest first. */
  broken: z.array(z.object({ seq: z.number().int(), problem: z.enum(['hash', 'link']) })).max(VERIFY_BROKEN_MAX),
  brokenCount: z.number().int(),
  /** What the anchor showed about the file (an older copy, another file, one set aside), until acknowledged. */
  incidents: z.array(StoreIncidentSchema).max(100),
  /** The newest entry's hash: write it down (or keep an export) to notice a truncated tail later. */
  headHash: Text.nullable()
})
export type JournalVerify = z.infer<typeof JournalVerifySchema>

export const JournalExportInputSchema = JournalFilterSchema.extend({ format: z.enum(['csv', 'json']) }).strict()
export const JournalExportSchema = z.object({
  suggestedName: Text,
  mimeType: z.enum(['text/csv', 'application/json']),
  content: z.string(),
  count: z.number().int()
})
