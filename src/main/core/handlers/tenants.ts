import { randomUUID } from 'node:crypto'
import { ENVIRONMENT_COLORS, type TenantProfile } from '../../../shared/tenants'
import { CoreError } from '../errors'
import { maskKey } from '../redact'
import type { Handlers } from '../router'
import type { ProfileStore } from '../tenants/profile-store'
import type { SecretStore } from '../tenants/secret-store'
import type { TenantSessions } from '../tenants/sessions'
import type { RateLimitTracker } from '../ratelimit/tracker'

export interface TenantDeps {
  profiles: ProfileStore
  secrets: SecretStore
  sessions: TenantSessions
  tracker: RateLimitTracker
  now: () => number
}

/** Rewords a failed verification for the add-tenant form, pointing at the field to fix. */
function verificationFailure(err: unknown, label: string): never {
  if (!(err instanceof CoreError)) throw err
  const fieldFor: Partial<Record<string, [string, string]>> = {
    UNAUTHORIZED: ['adminKey', `MeshQu did not accept this admin key (401). Check you pasted the whole key for ${label}; it may be revoked or expired.`],
    FORBIDDEN: ['adminKey', `MeshQu refused this key (403): it belongs to another tenant than the id given, or lacks api-keys:admin.`],
    OFFLINE: ['baseUrl', err.message],
    TIMEOUT: ['baseUrl', err.message],
    NOT_FOUND: ['baseUrl', `MeshQu's API-key endpoint was not found at this base URL (404). Check the URL.`]
  }
  const hit = fieldFor[err.code]
  if (!hit) throw err
  const [field, message] = hit
  const corr = err.extra.correlationId ? ` Correlation id ${err.extra.correlationId}.` : ''
  throw new CoreError(err.code, message + (message.includes('Correlation id') ? '' : corr), {
    ...err.extra,
    fields: { ...err.extra.fields, [field]: message }
  })
}

export function tenantHandlers(d: TenantDeps): Pick<Handlers, 'tenants.list' | 'tenants.add' | 'tenants.activate' | 'tenants.remove' | 'tenants.health'> {
  return {
    'tenants.list': async () => ({
      data: { tenants: await d.profiles.list(), activeId: await d.profiles.getActive(), warnings: d.profiles.warnings() }
    }),

    'tenants.add': async (input) => {
      const existing = (await d.profiles.list()).find((p) => p.tenantId === input.tenantId && p.baseUrl === input.baseUrl)
      if (existing) {
        throw new CoreError('VALIDATION', `This tenant is already in KeyDesk as "${existing.label}".`, {
          fields: { tenantId: `Already added as ${existing.label}` }
        })
      }
      const profile: TenantProfile = {
        id: randomUUID(),
        label: input.label,
        tenantId: input.tenantId,
        baseUrl: input.baseUrl,
        environment: input.environment,
        color: input.color ?? ENVIRONMENT_COLORS[input.environment],
        adminKeyPreview: maskKey(input.adminKey),
        createdAt: new Date(d.now()).toISOString()
      }
      let meta = {}
      if (!input.skipVerify) {
        const client = d.sessions.clientFor(profile, input.adminKey)
        try {
          const res = await client.listKeys({ limit: 1 })
          meta = { servedFrom: 'network' as const, rateLimit: res.rateLimit }
        } catch (err) {
          verificationFailure(err, input.label)
        }
      }
      // Keychain first: a profile without its key is worse than a stray keychain entry.
      await d.secrets.set(profile.id, input.adminKey)
      try {
        await d.profiles.put(profile)
      } catch (err) {
        await d.secrets.delete(profile.id).catch(() => false)
        throw err
      }
      if ((await d.profiles.getActive()) === null) await d.profiles.setActive(profile.id)
      return { data: profile, meta: { ...meta, tenantId: profile.id } }
    },

    'tenants.activate': async ({ tenant }) => {
      if (!(await d.profiles.get(tenant))) throw new CoreError('NOT_FOUND', 'That tenant is no longer in KeyDesk.')
      await d.profiles.setActive(tenant)
      return { data: { activeId: tenant } }
    },

    'tenants.remove': async ({ tenant }) => {
      const profile = await d.profiles.get(tenant)
      if (!profile) throw new CoreError('NOT_FOUND', 'That tenant is no longer in KeyDesk.')
      await d.secrets.delete(tenant)
      await d.profiles.remove(tenant)
      d.sessions.forget(tenant)
      d.tracker.forget(tenant)
      return { data: { removed: tenant } }
    },

    'tenants.health': async ({ tenant }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.health()
      return { data: res.data, meta: { servedFrom: 'network' } }
    }
  }
}
