import { z } from 'zod'
import { EnvironmentSchema, levelOf, ProtectionLevelSchema, type TenantProfile } from '../../../shared/tenants'

/**
 * What a tenant's keychain item holds: the admin key together with the profile fields it was
 * confirmed for. profiles.json can be edited by any program of the user; the keychain cannot be
 * written without the keychain's consent, so these copies are the ones KeyDesk trusts. A key is
 * only ever sent when the profile still says what its record says.
 */
export const BOUND_FIELDS = ['baseUrl', 'tenantId', 'environment', 'level'] as const
export type BoundField = (typeof BOUND_FIELDS)[number]
/** `level` absent: the environment's default (records written before levels existed bind that). */
export type Binding = Pick<TenantProfile, 'baseUrl' | 'tenantId' | 'environment' | 'level'>

const RecordSchema = z
  .object({
    v: z.literal(1),
    adminKey: z.string().min(1),
    baseUrl: z.string(),
    tenantId: z.string(),
    environment: EnvironmentSchema,
    level: ProtectionLevelSchema.optional()
  })
  .strict()
export type AdminKeyRecord = z.infer<typeof RecordSchema>

export const bindingOf = (profile: Binding): Required<Binding> => ({
  baseUrl: profile.baseUrl,
  tenantId: profile.tenantId,
  environment: profile.environment,
  level: levelOf(profile)
})

export function encodeAdminKeyRecord(adminKey: string, profile: Binding): string {
  return JSON.stringify({ v: 1, adminKey, ...bindingOf(profile) } satisfies AdminKeyRecord)
}

/** The record, or null for anything else (a bare key, text from elsewhere): such an item binds nothing. */
export function decodeAdminKeyRecord(stored: string): AdminKeyRecord | null {
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(stored))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** The bound fields the profile no longer agrees with (all of them for no record); empty when the key may be sent. */
export function changedFields(confirmed: Binding | null, profile: Binding): BoundField[] {
  if (!confirmed) return [...BOUND_FIELDS]
  const a = bindingOf(confirmed)
  const b = bindingOf(profile)
  return BOUND_FIELDS.filter((f) => a[f] !== b[f])
}
