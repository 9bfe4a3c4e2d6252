import { z } from 'zod'
import { ErrorCodeSchema } from './errors'
import { KeyIdSchema } from './meshqu'
import { REASON_MAX, ReasonSchema } from './journal'

/**
 * Rotation campaigns: replace many keys across tenants, and revoke each old key only once the
 * evidence says its service moved to the replacement. Kept in the fleet store, run by main.
 *
 * A key's states:
 * planned → creating → created → handed-over → waiting → revoking → revoked
 *                                                      ↘ held (still-in-use | replacement-unused)
 * and cancelled from any state but creating/revoking (those finish first, then stop).
 * `creating` and `revoking` are claims with a lease: a KeyDesk that died there is resumed by the
 * next one, which looks before it writes again.
 */
export const CAMPAIGN_KEY_STATES = [
  'planned',
  'creating',
  'created',
  'handed-over',
  'waiting',
  'revoking',
  'revoked',
  'held',
  'cancelled',
  'failed'
] as const
export const CampaignKeyStateSchema = z.enum(CAMPAIGN_KEY_STATES)
export type CampaignKeyState = z.infer<typeof CampaignKeyStateSchema>

export const HeldReasonSchema = z.enum(['still-in-use', 'replacement-unused'])
export type HeldReason = z.infer<typeof HeldReasonSchema>

export const CampaignStateSchema = z.enum(['running', 'cancelled', 'done'])
export type CampaignState = z.infer<typeof CampaignStateSchema>

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Defaults: the old key must be quiet for a day, and the campaign holds what is left after a week. */
export const CAMPAIGN_DEFAULTS = { quietWindowMs: DAY, deadlineMs: 7 * DAY, pacingShare: 0.25, expiresInDays: 90 } as const
/**
 * How fine-grained MeshQu's `last_used_at` is assumed to be (API.md [ASSUMED]: set on every
 * authenticated request; a real server may write it lazily). The quiet window must be longer than
 * this, and the watch never reads a key more often than this.
 */
export const LAST_USED_GRANULARITY_MS = 5 * 60_000
/** The shortest quiet window the dialog accepts: several times the granularity above. */
export const MIN_QUIET_WINDOW_MS = 1 * HOUR

/** The default replacement name: the old name with the date (`trade-service-prod-2026-12-07`). */
export const DEFAULT_NAME_PATTERN = '{name}-{date}'

const Text = z.string().max(4096)
const Handle = z.string().min(1).max(128)

export const CampaignKeyRefSchema = z.object({ tenant: Handle, keyId: KeyIdSchema }).strict()

export const CampaignStartInputSchema = z
  .object({
    keys: z.array(CampaignKeyRefSchema).min(1).max(5000),
    namePattern: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((s) => s.includes('{name}'), { message: 'The pattern needs {name}' })
      .default(DEFAULT_NAME_PATTERN),
    /** Days until the replacements expire; null: no expiry (the fleet policy may refuse that). */
    expiresInDays: z.number().int().min(1).max(3650).nullable().default(CAMPAIGN_DEFAULTS.expiresInDays),
    quietWindowMs: z
      .number()
      .int()
      .min(1)
      .max(90 * DAY)
      .default(CAMPAIGN_DEFAULTS.quietWindowMs),
    deadlineMs: z
      .number()
      .int()
      .min(1)
      .max(366 * DAY)
      .default(CAMPAIGN_DEFAULTS.deadlineMs),
    /** The share of each tenant's rate-limit window the campaign may spend. */
    pacingShare: z.number().min(0.01).max(0.9).default(CAMPAIGN_DEFAULTS.pacingShare),
    reason: ReasonSchema
  })
  .strict()
  .refine((v) => v.deadlineMs > v.quietWindowMs, { message: 'The deadline must be longer than the quiet window', path: ['deadlineMs'] })
export type CampaignStartInput = z.input<typeof CampaignStartInputSchema>

export const CampaignKeySchema = z.object({
  id: z.number().int(),
  campaignId: Text,
  tenant: Text,
  oldKeyId: Text,
  oldName: Text,
  oldPreview: Text.nullable(),
  oldLastUsedAt: z.number().nullable(),
  /** How many times the watch saw the old key's last use move. */
  oldUsesSeen: z.number().int(),
  replacementName: Text,
  newKeyId: Text.nullable(),
  newPreview: Text.nullable(),
  newFirstUsedAt: z.number().nullable(),
  state: CampaignKeyStateSchema,
  heldReason: HeldReasonSchema.nullable(),
  /** The replacement's plaintext is in a reveal slot now: the hand-over queue can show it. */
  revealId: Text.nullable(),
  handedOverAt: z.number().nullable(),
  deadlineAt: z.number(),
  nextCheckAt: z.number().nullable(),
  lastCheckAt: z.number().nullable(),
  evidence: Text.nullable(),
  lastErrorCode: ErrorCodeSchema.nullable(),
  lastError: Text.nullable()
})
export type CampaignKey = z.infer<typeof CampaignKeySchema>

export const CampaignSchema = z.object({
  id: Text,
  createdAt: z.number(),
  state: CampaignStateSchema,
  namePattern: Text,
  expiresInDays: z.number().nullable(),
  quietWindowMs: z.number(),
  deadlineAt: z.number(),
  pacingShare: z.number(),
  reason: Text.nullable(),
  /** Keys per state. */
  counts: z.record(CampaignKeyStateSchema, z.number().int()),
  /** Progress per tenant: revoked of total. */
  tenants: z.array(z.object({ tenant: Text, total: z.number().int(), revoked: z.number().int(), held: z.number().int() })),
  /** Keys created whose plaintext is gone before they were handed over. */
  notHandedOver: z.number().int()
})
export type Campaign = z.infer<typeof CampaignSchema>

export const CampaignDetailSchema = z.object({ campaign: CampaignSchema, keys: z.array(CampaignKeySchema), now: z.number() })
export type CampaignDetail = z.infer<typeof CampaignDetailSchema>

export const CampaignStartedSchema = z.object({
  campaign: CampaignSchema,
  /** Keys of locked (read-only) tenants, left out and named. */
  skipped: z.array(z.object({ tenant: Text, tenantLabel: Text, keyId: Text, why: Text }))
})

const CampaignRef = z.object({ campaignId: Handle }).strict()
const CampaignKeyRef = z.object({ campaignId: Handle, keyRowId: z.number().int().nonnegative() }).strict()

export const CampaignInputs = {
  ref: CampaignRef,
  keyRef: CampaignKeyRef,
  revokeAnyway: CampaignKeyRef.extend({ confirm: z.string().max(200), reason: z.string().trim().min(1).max(REASON_MAX) }).strict(),
  extend: CampaignKeyRef.extend({
    byMs: z
      .number()
      .int()
      .min(1)
      .max(90 * DAY)
  }).strict()
}

/** Renders a replacement's name from the pattern: `{name}` the old name, `{date}` today (UTC). */
export function replacementName(pattern: string, oldName: string, now: number): string {
  const date = new Date(now).toISOString().slice(0, 10)
  return pattern.replaceAll('{name}', oldName).replaceAll('{date}', date).slice(0, 100)
}

/**
 * A replacement name no other row of the campaign has: the second of a name gets `-2`, the third
 * `-3`… (cut to leave room within 100 characters). A lost create is found again by its name, so
 * two rows sharing one could take each other's key.
 */
export function distinctName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name
  for (let n = 2; ; n++) {
    const suffix = `-${n}`
    const candidate = name.slice(0, 100 - suffix.length) + suffix
    if (!taken.has(candidate)) return candidate
  }
}
