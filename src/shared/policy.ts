import { z } from 'zod'
import type { ApiKey } from './meshqu'
import { SCOPE_PRESETS, ScopePresetIdSchema, matchesPreset } from './scope-presets'
import { SCOPES, ScopeSchema } from './scopes'
import { ENVIRONMENTS, type Environment } from './tenants'

/**
 * The fleet policy: per environment, what a key may be. Main refuses a create or rotate outside
 * it (POLICY, with the broken rule), unless a waiver lets it through; the radar counts each live
 * key that breaks it ("Outside policy"). The rules are pure functions here; main counts the same
 * rules in SQL over the store (main/core/store/radar.ts), and a test holds both to one answer.
 */
export const POLICY_RULES = [
  /** The key has no expiry where one is required. */
  'expiry-required',
  /** The key lives longer (expiry − creation) than the environment's maximum. */
  'max-expiry',
  /** The key holds a scope the environment forbids (KeyDesk's own admin key aside). */
  'forbidden-scope',
  /** The key's scopes are not exactly one of the presets the environment allows. */
  'preset'
] as const
export const PolicyRuleSchema = z.enum(POLICY_RULES)
export type PolicyRule = z.infer<typeof PolicyRuleSchema>

export const POLICY_MAX_DAYS = 3650
/** A waiver lasts at most this long; then the key is a finding again. */
export const WAIVER_MAX_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000
/**
 * A key's lifetime is measured from MeshQu's `created_at` to its expiry, both set by clocks that
 * may differ a little from this one: a key made for "90 days" never reads as 90 days and a minute.
 */
export const POLICY_CLOCK_GRACE_MS = 60 * 60 * 1000

/** One environment's rules. `allowedPresets: null` allows any scopes (no preset rule). */
export const EnvironmentPolicySchema = z
  .object({
    maxExpiryDays: z
      .number({ error: 'Type a whole number of days' })
      .int('Type a whole number of days')
      .min(1, 'Type at least 1 day')
      .max(POLICY_MAX_DAYS, `Type at most ${POLICY_MAX_DAYS.toLocaleString('en')} days`)
      .nullable(),
    expiryRequired: z.boolean(),
    forbiddenScopes: z
      .array(ScopeSchema)
      .max(SCOPES.length)
      .refine((s) => new Set(s).size === s.length, 'Each scope may be listed once'),
    allowedPresets: z
      .array(ScopePresetIdSchema)
      .max(SCOPE_PRESETS.length)
      .refine((s) => new Set(s).size === s.length, 'Each preset may be listed once')
      .refine((s) => s.length > 0, 'Allow at least one preset, or any scopes')
      .nullable()
  })
  .strict()
export type EnvironmentPolicy = z.infer<typeof EnvironmentPolicySchema>

export const FleetPolicySchema = z
  .object({
    production: EnvironmentPolicySchema,
    staging: EnvironmentPolicySchema,
    development: EnvironmentPolicySchema,
    sandbox: EnvironmentPolicySchema
  })
  .strict()
export type FleetPolicy = z.infer<typeof FleetPolicySchema>

const PERMISSIVE: EnvironmentPolicy = { maxExpiryDays: null, expiryRequired: false, forbiddenScopes: [], allowedPresets: null }

/** Strict for production, permissive elsewhere (the sandbox included: it is for trying things). */
export const DEFAULT_POLICY: FleetPolicy = {
  production: { maxExpiryDays: 90, expiryRequired: true, forbiddenScopes: ['api-keys:admin', 'audit:admin'], allowedPresets: null },
  staging: PERMISSIVE,
  development: PERMISSIVE,
  sandbox: PERMISSIVE
}

/** A policy as another KeyDesk exported it (policy.export); import checks it with this. */
export const POLICY_EXPORT_FORMAT = 'keydesk-policy'
export const PolicyExportSchema = z
  .object({
    format: z.literal(POLICY_EXPORT_FORMAT, { error: 'This is not a KeyDesk policy file (its "format" is not "keydesk-policy").' }),
    version: z.literal(1, { error: 'This policy file was written by another version of KeyDesk (its "version" is not 1).' }),
    exportedAt: z.string().max(64).optional(),
    policy: FleetPolicySchema
  })
  .strict()
export type PolicyExport = z.infer<typeof PolicyExportSchema>

/** One rule of one environment that an import would change: its value before and after, in words. */
export const PolicyChangeSchema = z.object({
  environment: z.enum(ENVIRONMENTS),
  rule: z.enum(['maxExpiryDays', 'expiryRequired', 'forbiddenScopes', 'allowedPresets']),
  before: z.string().max(1000),
  after: z.string().max(1000)
})
export type PolicyChange = z.infer<typeof PolicyChangeSchema>

/** A waiver asked for with a create or rotate: why, and until when (epoch ms, at most 30 days ahead). */
export const WaiverInputSchema = z
  .object({
    reason: z
      .string()
      .max(500, 'A reason has at most 500 characters')
      .transform((s) => s.trim())
      .pipe(z.string().min(1, 'Say why this key may break the policy')),
    until: z.number().int().positive()
  })
  .strict()
export type WaiverInput = z.infer<typeof WaiverInputSchema>

export const WaiverSchema = z.object({
  tenant: z.string().max(128),
  keyId: z.string().max(256),
  reason: z.string().max(500),
  until: z.number(),
  createdAt: z.number(),
  rules: z.array(PolicyRuleSchema)
})
export type Waiver = z.infer<typeof WaiverSchema>

/** The key a rule is checked on: its scopes and expiry, and from when its lifetime counts. */
export interface PolicySubject {
  scopes: readonly string[]
  /** Epoch ms, or null for no expiry. */
  expiresAt: number | null
  /** Creation (an existing key) or now (a key about to be created). */
  from: number
  /** KeyDesk's own admin key of the tenant (or its replacement): exempt from the scope rules. */
  ownAdmin: boolean
}

export interface PolicyBreach {
  rule: PolicyRule
  /** The create form's field the rule is about. */
  field: 'expires_at' | 'scopes'
  message: string
}

const ENV_WORD: Record<Environment, string> = { production: 'Production', staging: 'Staging', development: 'Development', sandbox: 'Sandbox' }
const presetLabels = (ids: readonly string[]) => SCOPE_PRESETS.filter((p) => ids.includes(p.id)).map((p) => p.label)
const list = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`)

/** Every rule the subject breaks, in POLICY_RULES order, each with one sentence naming the rule. */
export function policyBreaches(s: PolicySubject, policy: EnvironmentPolicy, environment: Environment): PolicyBreach[] {
  const env = ENV_WORD[environment]
  const out: PolicyBreach[] = []
  if (s.expiresAt === null && policy.expiryRequired) {
    out.push({ rule: 'expiry-required', field: 'expires_at', message: `${env} policy: a key must expire${maxText(policy)}.` })
  } else if (
    policy.maxExpiryDays !== null &&
    (s.expiresAt === null || s.expiresAt - s.from > policy.maxExpiryDays * DAY_MS + POLICY_CLOCK_GRACE_MS)
  ) {
    out.push({ rule: 'max-expiry', field: 'expires_at', message: `${env} policy: a key expires within ${policy.maxExpiryDays} days at most.` })
  }
  if (!s.ownAdmin) {
    const forbidden = s.scopes.filter((x) => (policy.forbiddenScopes as readonly string[]).includes(x))
    if (forbidden.length) {
      out.push({
        rule: 'forbidden-scope',
        field: 'scopes',
        message: `${env} policy: ${list(forbidden)} ${forbidden.length > 1 ? 'are' : 'is'} forbidden.`
      })
    }
    if (policy.allowedPresets !== null && !SCOPE_PRESETS.some((p) => policy.allowedPresets!.includes(p.id) && matchesPreset(p, s.scopes))) {
      out.push({
        rule: 'preset',
        field: 'scopes',
        message: `${env} policy: only the presets ${list(presetLabels(policy.allowedPresets))} are allowed.`
      })
    }
  }
  return out
}

const maxText = (p: EnvironmentPolicy) => (p.maxExpiryDays === null ? '' : ` within ${p.maxExpiryDays} days`)

/**
 * The rules an existing key breaks: only a live key (not revoked, not expired) can, and not while
 * a waiver of it runs. The same rules as policyBreaches(), lifetime counted from `created_at`.
 */
export function keyPolicyBreaches(
  key: ApiKey,
  ctx: { now: number; policy: EnvironmentPolicy; environment: Environment; ownAdminPreview: string | null; waivedUntil?: number | null }
): PolicyBreach[] {
  const expires = key.expires_at === null ? null : Date.parse(key.expires_at)
  const revoked = key.revoked_at !== null || (!key.is_active && key.expires_at === null)
  if (revoked || (expires !== null && expires <= ctx.now)) return []
  if (ctx.waivedUntil != null && ctx.waivedUntil > ctx.now) return []
  return policyBreaches(
    { scopes: key.scopes, expiresAt: expires, from: Date.parse(key.created_at), ownAdmin: key.key_preview === ctx.ownAdminPreview },
    ctx.policy,
    ctx.environment
  )
}

/** The limits in one line, for the create and rotate forms before the operator types. */
export function policyLimits(policy: EnvironmentPolicy, environment: Environment): string | null {
  const parts: string[] = []
  if (policy.maxExpiryDays !== null) parts.push(`expires within ${policy.maxExpiryDays} days`)
  else if (policy.expiryRequired) parts.push('must expire')
  if (policy.forbiddenScopes.length) parts.push(`${list(policy.forbiddenScopes)} forbidden`)
  if (policy.allowedPresets !== null) parts.push(`presets only: ${list(presetLabels(policy.allowedPresets))}`)
  return parts.length ? `${ENV_WORD[environment]} policy: ${parts.join('; ')}.` : null
}

/** A rule's value in words, for the import preview. */
export function describePolicyValue(rule: PolicyChange['rule'], p: EnvironmentPolicy): string {
  switch (rule) {
    case 'maxExpiryDays':
      return p.maxExpiryDays === null ? 'no maximum' : `${p.maxExpiryDays} days`
    case 'expiryRequired':
      return p.expiryRequired ? 'required' : 'not required'
    case 'forbiddenScopes':
      return p.forbiddenScopes.length ? SCOPES.filter((x) => p.forbiddenScopes.includes(x)).join(', ') : 'none'
    case 'allowedPresets':
      return p.allowedPresets === null ? 'any scopes' : presetLabels(p.allowedPresets).join(', ')
  }
}

/** What applying `next` over `current` changes, rule by rule (empty: nothing). */
export function policyChanges(current: FleetPolicy, next: FleetPolicy): PolicyChange[] {
  const out: PolicyChange[] = []
  for (const environment of ENVIRONMENTS) {
    for (const rule of ['maxExpiryDays', 'expiryRequired', 'forbiddenScopes', 'allowedPresets'] as const) {
      const before = describePolicyValue(rule, current[environment])
      const after = describePolicyValue(rule, next[environment])
      if (before !== after) out.push({ environment, rule, before, after })
    }
  }
  return out
}
