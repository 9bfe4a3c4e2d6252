import { CoreError } from '../errors'
import type { createBulkRevoker, BulkItem } from '../jobs/bulk-revoke'
import { requireReason } from '../journal/reasons'
import type { Handlers } from '../router'
import type { ProfileStore } from '../tenants/profile-store'
import type { TenantProfile } from '../../../shared/tenants'
import type { WriteGuard } from '../tenants/write-guard'

export interface BulkHandlerDeps {
  bulk: ReturnType<typeof createBulkRevoker>
  profiles: ProfileStore
  reasonRequired: () => Promise<boolean>
  guard: WriteGuard
}

type BulkHandlers = Pick<Handlers, 'bulk.revoke' | 'bulk.revokeAcross' | 'bulk.preview' | 'bulk.status' | 'bulk.cancel' | 'bulk.retryFailed'>

/** Bulk revocation, of one tenant's keys or across tenants (jobs/bulk-revoke.ts). */
export function bulkHandlers(d: BulkHandlerDeps): BulkHandlers {
  const reasonCheck = (tenants: Iterable<string>, reason: string | undefined) =>
    requireReason({ required: d.reasonRequired, profile: (id) => d.profiles.get(id) }, tenants, reason)

  /** The selection's tenants, in the order first named; an unknown one is refused by name of its field. */
  async function tenantsOf(items: readonly BulkItem[]): Promise<{ profile: TenantProfile; count: number }[]> {
    const counts = new Map<string, number>()
    for (const i of items) counts.set(i.tenant, (counts.get(i.tenant) ?? 0) + 1)
    const out: { profile: TenantProfile; count: number }[] = []
    for (const [tenant, count] of counts) {
      const profile = await d.profiles.get(tenant)
      if (!profile) {
        const at = items.findIndex((i) => i.tenant === tenant)
        throw new CoreError('NOT_FOUND', 'A selected key belongs to a tenant that is no longer in KeyDesk; refresh the selection.', {
          fields: { [`items.${at}.tenant`]: 'No such tenant' }
        })
      }
      out.push({ profile, count })
    }
    return out
  }

  return {
    'bulk.revoke': async ({ tenant, ids, reason }) => {
      await d.guard.assertWritable([tenant])
      await reasonCheck([tenant], reason)
      return { data: await d.bulk.start(tenant, ids, reason) }
    },
    'bulk.revokeAcross': async ({ items, reason }) => {
      await tenantsOf(items)
      // The renderer leaves locked tenants out (bulk.preview names them); main refuses any sent.
      await d.guard.assertWritable(items.map((i) => i.tenant))
      await reasonCheck(
        items.map((i) => i.tenant),
        reason
      )
      return { data: await d.bulk.startAcross(items, reason) }
    },
    'bulk.preview': async ({ items }) => {
      const of = await tenantsOf(items)
      const locked = new Set((await d.guard.locked(of.map((t) => t.profile.id))).map((p) => p.id))
      const tenants = of.map(({ profile, count }) => ({
        tenant: profile.id,
        label: profile.label,
        environment: profile.environment,
        production: profile.environment === 'production',
        locked: locked.has(profile.id),
        count
      }))
      const productionLabels = tenants.filter((t) => t.production).map((t) => t.label)
      return {
        data: { total: items.length, tenants, productionLabels, reasonRequired: productionLabels.length > 0 && (await d.reasonRequired()) }
      }
    },
    'bulk.status': async ({ jobId }) => ({ data: d.bulk.status(jobId) }),
    'bulk.cancel': async ({ jobId }) => ({ data: d.bulk.cancel(jobId) }),
    'bulk.retryFailed': async ({ jobId }) => ({ data: d.bulk.retryFailed(jobId) })
  }
}
