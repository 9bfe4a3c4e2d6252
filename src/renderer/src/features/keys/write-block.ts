import type { TenantView } from '../../../../shared/tenants'
import { useKeys, type KeysData } from './queries'

/**
 * Why no write (create, revoke, rotate, bulk) may be sent to this tenant now, or null. MeshQu must
 * confirm every write and KeyDesk queues none, so a list served from the fleet store, or a tenant
 * known to be unreachable, blocks them all. Every write button and every keyboard path asks this
 * one rule, and the dialogs ask it again: a shortcut that opened one must not be able to send.
 */
export function writeBlockReason(tenant: Pick<TenantView, 'status' | 'label'> | null, data: KeysData | undefined): string | null {
  if (!tenant) return 'No tenant is selected.'
  const rateLimitedUntil = data?.meta.servedFrom === 'store' ? data.data.rateLimitedUntil : undefined
  if (rateLimitedUntil || tenant.status === 'rate-limited') {
    return `Unavailable while MeshQu's rate limit for ${tenant.label} holds (429): KeyDesk sends nothing until it passes, then lists again by itself.`
  }
  if (data?.meta.servedFrom === 'store' || tenant.status === 'offline') {
    return `Unavailable offline: MeshQu must confirm every change to ${tenant.label}, and KeyDesk queues nothing. Retry once it is reachable.`
  }
  if (tenant.status === 'settling') return `Available once KeyDesk has checked whether the last change to ${tenant.label} was applied (in a moment).`
  if (tenant.status === 'stopped') return `Unavailable while the sandbox is stopped. Start the sandbox first.`
  if (tenant.status === 'auth-failed') return `Unavailable: MeshQu refused the admin key of ${tenant.label}. Replace it in the tenant's settings.`
  if (tenant.status === 'keychain-locked') return 'Unavailable while the keychain is locked: KeyDesk cannot read the admin key.'
  // Only the list's first rows are in (a cold switch): a write's dialog looks its key up in the whole list.
  if (data?.firstRowsOnly) return 'Available once the whole list has loaded (in a moment).'
  return null
}

export function useWriteBlock(tenant: TenantView): string | null {
  return writeBlockReason(tenant, useKeys(tenant.id).data)
}
