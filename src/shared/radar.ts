import { z } from 'zod'
import type { ApiKey } from './meshqu'
import type { Environment } from './tenants'
import { keyPolicyBreaches, type EnvironmentPolicy } from './policy'

/**
 * The fleet radar's findings: what each rule means, its thresholds per environment,
 * and the rule for one key as a pure function. Main counts the same rules in SQL over the store
 * (main/core/store/radar.ts); a property test holds both to the same answers.
 */
export const RADAR_CATEGORIES = [
  /** MeshQu still lists it as active (`is_active: true`) although `expires_at` has passed. */
  'expired-active',
  /** Live and expiring within 1, 7 or 30 days (cumulative: "within 7 days" includes "within 1 day"). */
  'expiring-1d',
  'expiring-7d',
  'expiring-30d',
  /** Live, never used, created at least `neverUsedDays` ago. */
  'never-used',
  /** Live, last used at least `unusedDays` ago (never-used keys are the category above). */
  'unused',
  /** Live and without an expiry, in an environment whose rules flag it (production by default). */
  'no-expiry',
  /** Live and holding api-keys:admin or audit:admin, other than KeyDesk's own admin key of the tenant. */
  'privileged',
  /** Live and breaking a rule of its environment's fleet policy (shared/policy.ts), with no waiver running. */
  'outside-policy',
  /** A rotation whose old key was kept "for later" more than `rotationPendingDays` ago. */
  'rotation-pending',
  /** A scheduled revoke that failed (the scheduler's `scheduled_revokes` table). */
  'revoke-failed',
  /** Live, and appeared since the previous sync with no journal entry of this KeyDesk (`outside_changes`). */
  'created-outside',
  /** Revoked since the previous sync with no journal entry of this KeyDesk (`outside_changes`). */
  'revoked-outside'
] as const
export const RadarCategorySchema = z.enum(RADAR_CATEGORIES)
export type RadarCategory = z.infer<typeof RadarCategorySchema>

/** The expiry windows of the radar and of expiry notifications, in days. */
export const EXPIRY_WINDOWS_DAYS = [1, 7, 30] as const
export type ExpiryWindow = (typeof EXPIRY_WINDOWS_DAYS)[number]
export const EXPIRING_CATEGORY: Record<ExpiryWindow, RadarCategory> = { 1: 'expiring-1d', 7: 'expiring-7d', 30: 'expiring-30d' }

/** Scopes that administer keys or the audit log: the "privileged" finding. */
export const PRIVILEGED_SCOPES = ['api-keys:admin', 'audit:admin'] as const

export const DAY_MS = 24 * 60 * 60 * 1000

/**
 * A threshold in whole days. The messages are the operator's words: the radar settings form shows
 * them under their fields, and main's refusal of a bad `settings.update` carries the same ones.
 */
const days = (max: number) =>
  z
    .number({ error: 'Type a whole number of days' })
    .int('Type a whole number of days')
    .min(1, 'Type at least 1 day')
    .max(max, `Type at most ${max.toLocaleString('en')} days`)

/** The most days each threshold takes (ten years; a year for a kept rotation). */
export const RADAR_DAYS_MAX = { unusedDays: 3650, neverUsedDays: 3650, rotationPendingDays: 365 } as const

/** One environment's thresholds. */
export const RadarRulesSchema = z
  .object({
    /** "unused": last use at least this many days ago. */
    unusedDays: days(RADAR_DAYS_MAX.unusedDays),
    /** "never used": never used and created at least this many days ago. */
    neverUsedDays: days(RADAR_DAYS_MAX.neverUsedDays),
    /** "no expiry" is a finding in this environment. */
    flagNoExpiry: z.boolean(),
    /** "rotation pending": the old key kept for more than this many days. */
    rotationPendingDays: days(RADAR_DAYS_MAX.rotationPendingDays),
    /** Desktop notifications at 30, 7 and 1 day(s) before a key expires. */
    notifyExpiry: z.boolean()
  })
  .strict()
export type RadarRules = z.infer<typeof RadarRulesSchema>

const STRICT: RadarRules = { unusedDays: 90, neverUsedDays: 14, flagNoExpiry: true, rotationPendingDays: 7, notifyExpiry: true }
const LENIENT: RadarRules = { unusedDays: 180, neverUsedDays: 30, flagNoExpiry: false, rotationPendingDays: 14, notifyExpiry: true }

/**
 * Production is stricter by default. The sandbox follows production's rules so that "Try the
 * sandbox" shows every finding; development keys expire quietly.
 */
export const DEFAULT_RADAR_RULES: Readonly<Record<Environment, RadarRules>> = {
  production: STRICT,
  staging: LENIENT,
  development: { ...LENIENT, notifyExpiry: false },
  sandbox: STRICT
}

export const RadarSettingsSchema = z
  .object({
    production: RadarRulesSchema,
    staging: RadarRulesSchema,
    development: RadarRulesSchema,
    sandbox: RadarRulesSchema
  })
  .strict()
export type RadarSettings = z.infer<typeof RadarSettingsSchema>

/** A change to some thresholds of some environments; the rest stays (settings.update merges it). */
export const RadarSettingsPatchSchema = z
  .object({
    production: RadarRulesSchema.partial().strict(),
    staging: RadarRulesSchema.partial().strict(),
    development: RadarRulesSchema.partial().strict(),
    sandbox: RadarRulesSchema.partial().strict()
  })
  .partial()
  .strict()
export type RadarSettingsPatch = z.infer<typeof RadarSettingsPatchSchema>

export function mergeRadarSettings(base: RadarSettings, patch: RadarSettingsPatch | undefined): RadarSettings {
  if (!patch) return base
  return {
    production: { ...base.production, ...patch.production },
    staging: { ...base.staging, ...patch.staging },
    development: { ...base.development, ...patch.development },
    sandbox: { ...base.sandbox, ...patch.sandbox }
  }
}

/** What a rule needs besides the key: the clock, the tenant's rules and KeyDesk's own admin key. */
export interface FindingContext {
  now: number
  rules: RadarRules
  /** The tenant profile's adminKeyPreview: that key is KeyDesk's own and never "privileged". */
  ownAdminPreview: string | null
  /** When a rotation kept this key "for later", if it did. */
  rotatedAt?: number | null
  /** A scheduled revoke of this key failed. */
  revokeFailed?: boolean
  /** Changes to this key made outside KeyDesk and not acknowledged (the store's `outside_changes`). */
  outside?: readonly OutsideKind[]
  /** The fleet policy of the tenant's environment; without it, "outside policy" is not judged. */
  policy?: { rules: EnvironmentPolicy; environment: Environment; waivedUntil?: number | null }
}

/** Revoked whatever the clock says (the store's `revoked` column means the same). */
export const isRevokedKey = (k: ApiKey): boolean => k.revoked_at !== null || (!k.is_active && k.expires_at === null)

/**
 * Every finding of one key, in RADAR_CATEGORIES order. Boundaries: "within N days" includes
 * exactly N days; "unused"/"never used" include exactly the threshold; "rotation pending" needs
 * strictly more than its threshold; a key expiring at `now` is expired.
 */
export function keyFindings(key: ApiKey, ctx: FindingContext): RadarCategory[] {
  const out: RadarCategory[] = []
  const { now, rules } = ctx
  const revoked = isRevokedKey(key)
  const expires = key.expires_at === null ? null : Date.parse(key.expires_at)
  const live = !revoked && (expires === null || expires > now)
  if (!revoked && key.is_active && expires !== null && expires <= now) out.push('expired-active')
  if (live && expires !== null) {
    for (const days of EXPIRY_WINDOWS_DAYS) if (expires <= now + days * DAY_MS) out.push(EXPIRING_CATEGORY[days])
  }
  if (live) {
    const lastUsed = key.last_used_at === null ? null : Date.parse(key.last_used_at)
    if (lastUsed === null && Date.parse(key.created_at) <= now - rules.neverUsedDays * DAY_MS) out.push('never-used')
    if (lastUsed !== null && lastUsed <= now - rules.unusedDays * DAY_MS) out.push('unused')
    if (rules.flagNoExpiry && expires === null) out.push('no-expiry')
    if (key.scopes.some((s) => (PRIVILEGED_SCOPES as readonly string[]).includes(s)) && key.key_preview !== ctx.ownAdminPreview)
      out.push('privileged')
  }
  if (ctx.policy && keyPolicyBreaches(key, { now, ownAdminPreview: ctx.ownAdminPreview, ...ctx.policy, policy: ctx.policy.rules }).length)
    out.push('outside-policy')
  if (ctx.rotatedAt != null && ctx.rotatedAt < now - rules.rotationPendingDays * DAY_MS && !revoked) out.push('rotation-pending')
  if (ctx.revokeFailed) out.push('revoke-failed')
  if (ctx.outside?.includes('created') && !revoked) out.push('created-outside')
  if (ctx.outside?.includes('revoked')) out.push('revoked-outside')
  return out
}

/**
 * A tenant's badge: its number of findings, each key counted once per category it is in, the
 * three expiry windows as one (the 30-day window holds the others).
 */
export const BADGE_CATEGORIES: readonly RadarCategory[] = RADAR_CATEGORIES.filter((c) => c !== 'expiring-1d' && c !== 'expiring-7d')

function rulesWithDefaults(d: RadarRules) {
  const s = RadarRulesSchema.shape
  return z
    .object({
      unusedDays: s.unusedDays.default(d.unusedDays),
      neverUsedDays: s.neverUsedDays.default(d.neverUsedDays),
      flagNoExpiry: s.flagNoExpiry.default(d.flagNoExpiry),
      rotationPendingDays: s.rotationPendingDays.default(d.rotationPendingDays),
      notifyExpiry: s.notifyExpiry.default(d.notifyExpiry)
    })
    .prefault({})
}

/** As kept in settings.json: a missing environment or threshold takes its default. */
export const RadarSettingsStoredSchema = z
  .object({
    production: rulesWithDefaults(DEFAULT_RADAR_RULES.production),
    staging: rulesWithDefaults(DEFAULT_RADAR_RULES.staging),
    development: rulesWithDefaults(DEFAULT_RADAR_RULES.development),
    sandbox: rulesWithDefaults(DEFAULT_RADAR_RULES.sandbox)
  })
  .prefault({})

/** What a sync found changed outside KeyDesk: a key that appeared, or one revoked. */
export const OUTSIDE_KINDS = ['created', 'revoked'] as const
export const OutsideKindSchema = z.enum(OUTSIDE_KINDS)
export type OutsideKind = z.infer<typeof OutsideKindSchema>
export const OUTSIDE_CATEGORY: Record<OutsideKind, RadarCategory> = { created: 'created-outside', revoked: 'revoked-outside' }

/** One change made outside KeyDesk, as the radar shows it. */
export const OutsideChangeSchema = z.object({
  kind: OutsideKindSchema,
  /** MeshQu's created_by / revoked_by: the id of the key that acted (null when MeshQu did not say). */
  actor: z.string().max(4096).nullable(),
  /** That key's name, when the store held it at the sync. */
  actorName: z.string().max(4096).nullable(),
  /** MeshQu's created_at / revoked_at. */
  changedAt: z.string().max(4096).nullable(),
  /** The sync that found it. */
  foundAt: z.number()
})
export type OutsideChange = z.infer<typeof OutsideChangeSchema>

/**
 * What clicking a notification asks the UI to open: the radar, filtered to a category and
 * optionally a tenant (a tenant profile id).
 */
export const NotificationActionSchema = z
  .object({
    kind: z.literal('radar'),
    category: RadarCategorySchema.optional(),
    tenant: z.string().min(1).max(128).optional()
  })
  .strict()
export type NotificationAction = z.infer<typeof NotificationActionSchema>
