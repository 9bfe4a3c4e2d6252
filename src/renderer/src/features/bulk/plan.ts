import { isOwnAdminKey, isRevoked } from '../../../../shared/key-view'
import type { ApiKey } from '../../../../shared/meshqu'

/** What a bulk revocation will do with the selected ids, and why it leaves some out. */
export interface BulkPlan {
  targets: ApiKey[]
  revoked: number
  own: number
  missing: number
}

/**
 * Every selected id once: revoked keys and keys gone from the list are skipped, and KeyDesk's own
 * admin key is never revoked in bulk (that is a deliberate, single act).
 */
export function planBulkRevoke(
  ids: readonly string[],
  byId: ReadonlyMap<string, ApiKey>,
  tenant: { adminKeyPreview: string | null },
  now: number
): BulkPlan {
  const plan: BulkPlan = { targets: [], revoked: 0, own: 0, missing: 0 }
  for (const id of new Set(ids)) {
    const k = byId.get(id)
    if (!k) plan.missing++
    else if (isRevoked(k, now)) plan.revoked++
    else if (isOwnAdminKey(k, tenant)) plan.own++
    else plan.targets.push(k)
  }
  return plan
}
