import type { z } from 'zod'
import {
  POLICY_EXPORT_FORMAT,
  PolicyExportSchema,
  WAIVER_MAX_DAYS,
  policyBreaches,
  policyChanges,
  type FleetPolicy,
  type PolicyBreach,
  type PolicyChange,
  type PolicySubject,
  type WaiverInput
} from '../../../shared/policy'
import type { TenantProfile } from '../../../shared/tenants'
import { CoreError } from '../errors'
import type { Journal } from '../journal/journal'
import type { Logger } from '../log'
import type { FleetStore } from '../store/fleet-store'

/** Journal entries about the policy itself are the fleet's, not one tenant's. */
export const FLEET_JOURNAL_TENANT = '*'
const FLEET_JOURNAL_LABEL = 'Fleet policy'
const DAY_MS = 24 * 60 * 60 * 1000
/** An import's text is a small JSON file; anything larger is not one. */
export const POLICY_IMPORT_MAX_CHARS = 100_000

export interface FleetPolicyDeps {
  store: FleetStore
  journal: Journal
  log: Logger
  now: () => number
}

/** A create about to be sent, as the policy sees it. */
export interface PolicyRequest {
  profile: TenantProfile
  subject: Omit<PolicySubject, 'from'>
  waiver?: WaiverInput
}

/** What a create may do: go ahead (`waiver` set when a waiver lets it through, to record once the key exists). */
export interface PolicyVerdict {
  breaches: PolicyBreach[]
  waiver: (WaiverInput & { rules: PolicyBreach['rule'][] }) | null
}

const zodSentence = (err: z.ZodError): string => {
  const issue = err.issues[0]!
  const where = issue.path.length ? ` (at ${issue.path.map(String).join('.')})` : ''
  return `${issue.message}${where}`
}

/**
 * The fleet policy in main: kept in the encrypted store (store/policy-table.ts), checked before
 * every create (writes/create-key.ts, so rotations follow it too), changed, exported and imported
 * here. Main is the authority: the renderer shows the limits, main refuses what breaks them.
 */
export function createFleetPolicy(d: FleetPolicyDeps) {
  const get = (): Promise<FleetPolicy> => d.store.policy.get()

  async function set(policy: FleetPolicy, how: 'changed' | 'imported'): Promise<FleetPolicy> {
    const before = await get()
    const changes = policyChanges(before, policy)
    if (!changes.length) return before
    await d.store.policy.put(policy, d.now())
    await d.journal.record({
      tenant: FLEET_JOURNAL_TENANT,
      tenantLabel: FLEET_JOURNAL_LABEL,
      action: 'policy.set',
      outcome: 'ok',
      detail: `Policy ${how}: ${changes.map(describeChange).join('; ')}.`
    })
    return get()
  }

  /** The text of a policy file → the policy, or VALIDATION with one sentence; nothing is changed. */
  function parseImport(text: string): FleetPolicy {
    if (text.length > POLICY_IMPORT_MAX_CHARS) {
      throw new CoreError('VALIDATION', 'This file is too large to be a KeyDesk policy; nothing was changed.', {
        fields: { text: 'Not a policy file' }
      })
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new CoreError('VALIDATION', 'This file is not JSON, so it is not a KeyDesk policy; nothing was changed.', {
        fields: { text: 'Not JSON' }
      })
    }
    const parsed = PolicyExportSchema.safeParse(json)
    if (!parsed.success) {
      const sentence = zodSentence(parsed.error)
      throw new CoreError('VALIDATION', `This policy file cannot be imported: ${sentence}. Nothing was changed.`, { fields: { text: sentence } })
    }
    return parsed.data.policy
  }

  return {
    get,
    update: (policy: FleetPolicy) => set(policy, 'changed'),

    async exportJson(): Promise<{ suggestedName: string; content: string }> {
      const now = d.now()
      const body = { format: POLICY_EXPORT_FORMAT, version: 1, exportedAt: new Date(now).toISOString(), policy: await get() }
      return { suggestedName: `keydesk-policy-${new Date(now).toISOString().slice(0, 10)}.json`, content: `${JSON.stringify(body, null, 2)}\n` }
    },

    /** What importing `text` would change, rule by rule; nothing is written. */
    async previewImport(text: string): Promise<{ policy: FleetPolicy; changes: PolicyChange[] }> {
      const policy = parseImport(text)
      return { policy, changes: policyChanges(await get(), policy) }
    },

    /** Checks the text again (it is what the operator previewed, but main trusts no renderer) and applies it. */
    async importJson(text: string): Promise<FleetPolicy> {
      return set(parseImport(text), 'imported')
    },

    /**
     * A create about to be sent: POLICY when it breaks a rule and no waiver was given; a waiver
     * must say why and end within 30 days. Nothing is sent or written here.
     */
    async check(r: PolicyRequest): Promise<PolicyVerdict> {
      const now = d.now()
      const env = r.profile.environment
      const breaches = policyBreaches({ ...r.subject, from: now }, (await get())[env], env)
      if (!breaches.length) return { breaches, waiver: null }
      if (!r.waiver) {
        throw new CoreError('POLICY', `${breaches.map((b) => b.message).join(' ')} Nothing was created.`, { rule: breaches[0]!.rule })
      }
      if (r.waiver.until <= now || r.waiver.until > now + WAIVER_MAX_DAYS * DAY_MS) {
        const message = `A waiver ends within ${WAIVER_MAX_DAYS} days from now.`
        throw new CoreError('VALIDATION', `${message} Nothing was created.`, { fields: { 'waiver.until': message } })
      }
      return { breaches, waiver: { ...r.waiver, rules: breaches.map((b) => b.rule) } }
    },

    /** The waiver that let a key through, stored (the radar skips the key until it lapses) and journaled. */
    async recordWaiver(profile: TenantProfile, key: { id: string; name: string; key_preview: string }, w: NonNullable<PolicyVerdict['waiver']>) {
      await d.store.policy.waivers
        .put({ tenant: profile.id, keyId: key.id, reason: w.reason, until: w.until, createdAt: d.now(), rules: w.rules })
        .catch((err) => d.log.warn('policy waiver not stored; the key shows as outside policy', err))
      await d.journal.record({
        tenant: profile.id,
        action: 'policy.waiver',
        outcome: 'ok',
        key: { id: key.id, name: key.name, preview: key.key_preview },
        reason: w.reason,
        detail: `Allowed outside the ${profile.environment} policy (${w.rules.join(', ')}) until ${new Date(w.until).toISOString()}.`
      })
    }
  }
}

const describeChange = (c: PolicyChange) => `${c.environment} ${c.rule} ${c.before} → ${c.after}`

export type FleetPolicyService = ReturnType<typeof createFleetPolicy>
