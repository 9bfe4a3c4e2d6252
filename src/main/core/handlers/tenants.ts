import { randomUUID } from 'node:crypto'
import { ENVIRONMENT_COLORS, levelOf, lowers, stricter, type TenantProfile, type TenantStatus } from '../../../shared/tenants'
import { CoreError } from '../errors'
import { maskKey } from '../redact'
import type { Handled, Handlers } from '../router'
import type { ChannelArgs, ChannelOutput } from '../../../shared/contract'
import type { ProfileStore } from '../tenants/profile-store'
import type { AdminKeys } from '../tenants/admin-keys'
import { changedFields } from '../tenants/admin-key-record'
import type { TenantSessions } from '../tenants/sessions'
import type { TenantStatusBook } from '../tenants/status'
import type { Meta } from '../../../shared/envelope'
import type { FleetStore } from '../store/fleet-store'
import { failureOf, type Journal } from '../journal/journal'
import type { RemoveTenant } from '../tenants/remove-tenant'
import type { RevealSlots } from '../secrets/reveal-slots'
import type { VerificationRun, Verifications } from '../tenants/verifications'

export interface TenantDeps {
  profiles: ProfileStore
  /** Admin keys in the keychain, each bound to the settings it was confirmed for. */
  adminKeys: AdminKeys
  sessions: TenantSessions
  status: TenantStatusBook
  statusOf: (profile: TenantProfile) => TenantStatus
  store: FleetStore
  /** Clears every store of the tenant (tenants/remove-tenant.ts). */
  removeTenant: RemoveTenant
  now: () => number
  journal: Journal
  /** Where a key KeyDesk just created waits; tenants.update can adopt it as the admin key. */
  slots?: RevealSlots
  /** Verifications in flight, so tenants.cancelVerify can stop them. */
  verifications: Verifications
}

/** Rewords a failed verification for the add-tenant form, pointing at the field to fix. */
function verificationFailure(err: unknown, label: string): never {
  if (!(err instanceof CoreError)) throw err
  // [sentence for the form's alert, short note under the field it concerns]
  const explain: Partial<Record<string, [string, string, string]>> = {
    UNAUTHORIZED: [
      'adminKey',
      `MeshQu did not accept this admin key (401). Check you pasted the whole key for ${label}; it may be revoked or expired.`,
      'Not accepted by MeshQu (401)'
    ],
    FORBIDDEN: [
      'adminKey',
      'MeshQu refused this key (403): it belongs to another tenant than the id given, or lacks api-keys:admin.',
      "Refused by MeshQu (403): another tenant's key, or no api-keys:admin"
    ],
    OFFLINE: ['baseUrl', err.message, 'Could not reach this host'],
    TIMEOUT: ['baseUrl', err.message, 'No answer in time'],
    NOT_FOUND: ['baseUrl', "MeshQu's API-key endpoint was not found at this base URL (404). Check the URL.", 'No MeshQu API here (404)']
  }
  const hit = explain[err.code]
  if (!hit) throw err
  const [field, sentence, note] = hit
  const corr = err.extra.correlationId && !sentence.includes('Correlation id') ? ` Correlation id ${err.extra.correlationId}.` : ''
  throw new CoreError(err.code, sentence + corr, { ...err.extra, fields: { ...err.extra.fields, [field]: note } })
}

const VERIFY_ONCE = { retries: 0, baseDelayMs: 0, maxDelayMs: 0 }

/** The operator cancelled: said as what did not happen, so nobody wonders whether it half-did. */
function cancelled(sentence: string): CoreError {
  return new CoreError('CANCELLED', sentence, { outcome: 'not-sent' })
}

type TenantHandlers = Pick<
  Handlers,
  'tenants.list' | 'tenants.add' | 'tenants.activate' | 'tenants.update' | 'tenants.remove' | 'tenants.health' | 'tenants.cancelVerify'
>

export function tenantHandlers(d: TenantDeps): TenantHandlers {
  const view = (p: TenantProfile) => ({ ...p, status: d.statusOf(p), level: levelOf(p) })

  /**
   * One real call (list one key) with a candidate key; the outcome is explained on the form.
   * `signal` is the operator's Cancel: it stops the call at once.
   */
  async function verify(profile: TenantProfile, adminKey: string, signal: AbortSignal, notDone: string): Promise<Partial<Meta>> {
    try {
      // One attempt, no retries: a host that never answers costs one timeout (what the error
      // says), not four timeouts and their back-off.
      const res = await d.sessions.clientFor(profile, adminKey, { retry: VERIFY_ONCE }).listKeys({ limit: 1 }, { signal })
      return { servedFrom: 'network', rateLimit: res.rateLimit }
    } catch (err) {
      if (err instanceof CoreError && err.code === 'CANCELLED') throw cancelled(notDone)
      return verificationFailure(err, profile.label)
    }
  }

  /**
   * Labels name tenants in the sidebar and Ctrl+K: two "acme-prod" (in any case) could not be told
   * apart, so a label already used by another tenant is refused on the label field.
   */
  async function refuseDuplicateLabel(label: string, self: string | null) {
    const wanted = label.trim().toLocaleLowerCase()
    const clash = (await d.profiles.list()).find((p) => p.id !== self && p.label.trim().toLocaleLowerCase() === wanted)
    if (clash) {
      throw new CoreError('VALIDATION', `Another tenant is already labelled "${clash.label}". Pick a label that tells them apart.`, {
        fields: { label: `Already used by another tenant ("${clash.label}")` }
      })
    }
  }

  async function existing(id: string): Promise<TenantProfile> {
    const profile = await d.profiles.get(id)
    if (!profile) throw new CoreError('NOT_FOUND', 'That tenant is no longer in KeyDesk. Pick another tenant from the sidebar.')
    return profile
  }

  return {
    'tenants.list': async () => {
      // What opening the store found (a file set aside) is part of the first answer: the store
      // opens on its own thread, so a first list would otherwise be answered before it knew.
      if (d.store.state() === 'closed') await d.store.open()
      return {
        data: {
          tenants: (await d.profiles.list()).map(view),
          activeId: await d.profiles.getActive(),
          warnings: [...d.profiles.warnings(), ...d.store.warnings()]
        }
      }
    },

    'tenants.add': async (input) => {
      const run = d.verifications.begin(input.verifyId)
      try {
        return await addTenant(input, run)
      } finally {
        run.end()
      }
    },

    'tenants.cancelVerify': async ({ verifyId }) => ({ data: { cancelled: d.verifications.cancel(verifyId) } }),

    'tenants.update': async (input) => {
      const run = d.verifications.begin(input.verifyId)
      try {
        return await updateTenant(input, run)
      } finally {
        run.end()
      }
    },

    'tenants.activate': async ({ tenant }) => {
      await existing(tenant)
      await d.profiles.setActive(tenant)
      return { data: { activeId: tenant } }
    },

    'tenants.remove': async ({ tenant, confirmLabel }) => {
      const profile = await existing(tenant)
      // The environment the admin key was confirmed for counts too: a production tenant
      // downgraded in profiles.json alone keeps this safeguard.
      const production = profile.environment === 'production' || (await d.adminKeys.confirmed(profile.id))?.environment === 'production'
      if (production && confirmLabel !== profile.label) {
        throw new CoreError('VALIDATION', `Type the tenant's label "${profile.label}" to remove this production tenant.`, {
          fields: { confirmLabel: `Type ${profile.label} to confirm` }
        })
      }
      // One routine clears every holding (store first: a locked keychain stops it before anything goes).
      await d.removeTenant(tenant)
      // The journal keeps the tenant's entries: it is the record of this removal too.
      await d.journal.record({
        tenant,
        tenantLabel: profile.label,
        action: 'tenant.remove',
        outcome: 'ok',
        detail: `${profile.environment} tenant ${profile.tenantId} at ${profile.baseUrl} removed from KeyDesk (its keys in MeshQu are untouched).`
      })
      return { data: { removed: tenant } }
    },

    'tenants.health': async ({ tenant }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.health()
      return { data: res.data, meta: { servedFrom: 'network' } }
    }
  }

  async function addTenant(input: ChannelArgs<'tenants.add'>, run: VerificationRun): Promise<Handled<ChannelOutput<'tenants.add'>>> {
    const notAdded = `Verification cancelled. ${input.label} was not added and its admin key was not stored.`
    const existing = (await d.profiles.list()).find((p) => p.tenantId === input.tenantId && p.baseUrl === input.baseUrl)
    if (existing) {
      throw new CoreError('VALIDATION', `This tenant is already in KeyDesk as "${existing.label}".`, {
        fields: { tenantId: `Already added as ${existing.label}` }
      })
    }
    await refuseDuplicateLabel(input.label, null)
    const profile: TenantProfile = {
      id: randomUUID(),
      label: input.label,
      tenantId: input.tenantId,
      baseUrl: input.baseUrl,
      environment: input.environment,
      color: input.color ?? ENVIRONMENT_COLORS[input.environment],
      adminKeyPreview: maskKey(input.adminKey),
      createdAt: new Date(d.now()).toISOString(),
      embedded: false,
      ...(input.level ? { level: input.level } : {})
    }
    const meta = input.skipVerify ? {} : await verify(profile, input.adminKey, run.signal, notAdded)
    // The last moment a Cancel counts: past it, the writes below go through.
    if (!run.proceed()) throw cancelled(notAdded)
    // Keychain first: a profile without its key is worse than a stray keychain entry.
    await d.adminKeys.bind(profile, input.adminKey)
    try {
      await d.profiles.put(profile)
    } catch (err) {
      await d.adminKeys.remove(profile.id).catch(() => false)
      throw err
    }
    if ((await d.profiles.getActive()) === null) await d.profiles.setActive(profile.id)
    if (!input.skipVerify) d.status.record(profile.id, null)
    await d.journal.record({
      tenant: profile.id,
      tenantLabel: profile.label,
      action: 'tenant.add',
      outcome: 'ok',
      detail: `${profile.environment} tenant ${profile.tenantId} at ${profile.baseUrl}, admin key ${profile.adminKeyPreview ?? '(no preview)'}${input.skipVerify ? ', saved without verifying' : ''}.`
    })
    return { data: view(profile), meta: { ...meta, tenantId: profile.id } }
  }

  async function updateTenant(input: ChannelArgs<'tenants.update'>, run: VerificationRun): Promise<Handled<ChannelOutput<'tenants.update'>>> {
    const before = await existing(input.tenant)
    if (input.label !== undefined) await refuseDuplicateLabel(input.label, before.id)
    const environment = input.environment ?? before.environment
    // A stripe still on its environment's default follows the environment; a chosen one stays.
    const keepsDefaultColor = before.color.toLowerCase() === ENVIRONMENT_COLORS[before.environment].toLowerCase()
    const color = input.color ?? (keepsDefaultColor ? ENVIRONMENT_COLORS[environment] : before.color)
    const after: TenantProfile = { ...before, label: input.label ?? before.label, baseUrl: input.baseUrl ?? before.baseUrl, environment, color }
    if (input.level !== undefined) after.level = input.level
    const safeguards = await protectionChange(before, after, input)
    const moved = after.baseUrl !== before.baseUrl
    if (moved) {
      const clash = (await d.profiles.list()).find((p) => p.id !== before.id && p.tenantId === after.tenantId && p.baseUrl === after.baseUrl)
      if (clash) {
        throw new CoreError('VALIDATION', `This tenant is already in KeyDesk as "${clash.label}".`, {
          fields: { baseUrl: `Already added as ${clash.label}` }
        })
      }
    }
    let meta: Partial<Meta> = {}
    if (input.adminKey !== undefined && input.adminKeyRevealId !== undefined) {
      throw new CoreError('VALIDATION', 'Give a new admin key or a new key to adopt, not both.', { fields: { adminKey: 'Give one new admin key' } })
    }
    if (input.adminKeyRevealId !== undefined && !d.slots) throw new CoreError('INTERNAL', 'This core holds no new keys to adopt.')
    // A key created moments ago (rotating KeyDesk's own admin key) is adopted straight from its
    // reveal slot; it is verified like a pasted one.
    const adminKey = input.adminKey ?? (input.adminKeyRevealId !== undefined ? d.slots!.reveal(input.adminKeyRevealId) : undefined)
    if (adminKey !== undefined) {
      const replaced = { tenant: after.id, tenantLabel: after.label, action: 'tenant.adminKey' as const }
      const preview = maskKey(adminKey)
      const notReplaced = `Verification cancelled. The admin key of ${before.label} was not replaced, and nothing else was saved.`
      try {
        if (!input.skipVerify) meta = await verify(after, adminKey, run.signal, notReplaced)
        // The last moment a Cancel counts: past it, the key and the profile are saved.
        if (!run.proceed()) throw cancelled(notReplaced)
        // Re-entering the key is also how settings changed outside KeyDesk are confirmed: it is
        // bound to the settings saved with it.
        await d.adminKeys.bind(after, adminKey)
      } catch (err) {
        await d.journal.record({ ...replaced, ...failureOf(err), detail: `New admin key ${preview} not saved: ${failureOf(err).detail}` })
        throw err
      }
      await d.journal.record({
        ...replaced,
        outcome: 'ok',
        detail: `Admin key ${before.adminKeyPreview ?? '(unknown)'} replaced by ${preview}${input.skipVerify ? ' (saved without verifying)' : ''}.`
      })
      after.adminKeyPreview = preview
      d.sessions.forget(after.id)
      d.status.forget(after.id)
      if (!input.skipVerify) d.status.record(after.id, null)
    } else if (moved) {
      // A new base URL gets the stored key only once that key is checked against the settings it
      // was confirmed for (a base URL already changed outside KeyDesk is refused here too).
      const notMoved = `Verification cancelled. ${before.label} still uses ${before.baseUrl}, and nothing was saved.`
      const record = await d.adminKeys.recordFor(before)
      if (!record) {
        throw new CoreError(
          'UNAUTHORIZED',
          `No admin key for tenant ${before.label} is in the keychain. Enter its admin key with the new base URL.`,
          {
            fields: { adminKey: 'Enter the admin key to verify the new base URL' }
          }
        )
      }
      if (!input.skipVerify) meta = await verify(after, record.adminKey, run.signal, notMoved)
      if (!run.proceed()) throw cancelled(notMoved)
      await d.adminKeys.bind(after, record.adminKey)
      d.sessions.forget(after.id)
      d.status.forget(after.id)
      if (!input.skipVerify) d.status.record(after.id, null)
    } else if (!run.proceed()) {
      throw cancelled('Cancelled. Nothing was saved.')
    } else if (changedFields(before, after).length) {
      // The environment, changed here: the key follows (refused if the profile was changed outside KeyDesk).
      await d.adminKeys.rebind(before, after)
      d.sessions.forget(after.id)
    }
    await d.profiles.put(after)
    if (safeguards) {
      await d.journal.record({
        tenant: after.id,
        tenantLabel: after.label,
        action: 'tenant.protection',
        outcome: 'ok',
        reason: input.reason,
        detail: safeguards
      })
    }
    return { data: view(after), meta }
  }

  /**
   * Moving a tenant off production, or lowering its protection level, drops safeguards: it needs
   * the tenant's label typed back and a reason, as Remove tenant does. The level and environment
   * counted are the stricter of the profile's and the keychain's, so an edit of profiles.json
   * cannot make this a plain Save. Returns the journal's sentence, or null when nothing is lowered.
   */
  async function protectionChange(before: TenantProfile, after: TenantProfile, input: ChannelArgs<'tenants.update'>): Promise<string | null> {
    const bound = await d.adminKeys.confirmed(before.id).catch(() => null)
    const fromLevel = bound ? stricter(levelOf(before), bound.level) : levelOf(before)
    const wasProduction = before.environment === 'production' || bound?.environment === 'production'
    const leaves = wasProduction && after.environment !== 'production'
    const lowered = lowers(fromLevel, levelOf(after))
    if (!leaves && !lowered) return null
    const what = [leaves ? `environment production → ${after.environment}` : null, lowered ? `protection ${fromLevel} → ${levelOf(after)}` : null]
      .filter(Boolean)
      .join('; ')
    if (input.confirmLabel !== before.label) {
      throw new CoreError('VALIDATION', `Type the tenant's label "${before.label}" to confirm: ${what}.`, {
        fields: { confirmLabel: `Type ${before.label} to confirm` }
      })
    }
    if (!input.reason) {
      throw new CoreError('VALIDATION', `Give a reason: ${what} removes safeguards of ${before.label}.`, {
        fields: { reason: 'A reason is required for this change' }
      })
    }
    return `${what[0]!.toUpperCase()}${what.slice(1)}.`
  }
}
