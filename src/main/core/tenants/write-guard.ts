import { levelOf, stricter, type ProtectionLevel, type TenantProfile } from '../../../shared/tenants'
import { CoreError } from '../errors'
import type { AdminKeys } from './admin-keys'
import type { ProfileStore } from './profile-store'
import type { Unlocks } from './unlocks'

export interface WriteGuardDeps {
  profiles: Pick<ProfileStore, 'get'>
  adminKeys: Pick<AdminKeys, 'confirmed'>
  unlocks: Pick<Unlocks, 'active' | 'touch'>
}

/**
 * Main's rule for read-only tenants: no write (create, revoke, rotate, bulk, schedule) without an
 * unlock, whatever the renderer sends. The level counted is the stricter of the profile's and the
 * one bound in the keychain with the admin key, so lowering it in profiles.json lowers nothing.
 */
export function createWriteGuard(d: WriteGuardDeps) {
  /** The level main holds the tenant to (its keychain copy may be stricter than the profile's). */
  async function levelFor(profile: TenantProfile): Promise<ProtectionLevel> {
    const bound = await d.adminKeys.confirmed(profile.id).catch(() => null)
    return bound ? stricter(levelOf(profile), bound.level) : levelOf(profile)
  }

  /** The tenants of `tenants` whose writes are locked now (read-only, no unlock), by profile. */
  async function locked(tenants: Iterable<string>): Promise<TenantProfile[]> {
    const out: TenantProfile[] = []
    for (const id of new Set(tenants)) {
      const profile = await d.profiles.get(id)
      if (!profile) continue
      if ((await levelFor(profile)) === 'read-only' && !(await d.unlocks.active(id))) out.push(profile)
    }
    return out
  }

  return {
    levelFor,
    locked,
    /**
     * Throws READ_ONLY (outcome not-sent) unless every tenant may be written now; a write let
     * through counts as activity for the unlock's idle clock. Unknown tenants are left to the
     * write itself (NOT_FOUND).
     */
    async assertWritable(tenants: Iterable<string>): Promise<void> {
      const refused = await locked(tenants)
      if (refused.length) {
        const names = refused.map((p) => p.label).join(', ')
        throw new CoreError(
          'READ_ONLY',
          `${names} ${refused.length === 1 ? 'is' : 'are'} read-only, so nothing was sent. Unlock writes for ${refused.length === 1 ? 'it' : 'them'} (with a reason) first.`,
          { outcome: 'not-sent' }
        )
      }
      await d.unlocks.touch()
    }
  }
}

export type WriteGuard = ReturnType<typeof createWriteGuard>
