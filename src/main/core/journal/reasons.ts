import type { TenantProfile } from '../../../shared/tenants'
import { CoreError } from '../errors'

/**
 * The setting "a reason is required for production tenants", enforced in main (the dialogs ask
 * too, but main is where it holds). Throws VALIDATION with `fields.reason` naming the tenants.
 */
export async function requireReason(
  d: { required: () => Promise<boolean>; profile: (id: string) => Promise<TenantProfile | null | undefined> },
  tenants: Iterable<string>,
  reason: string | undefined
): Promise<void> {
  if (reason) return
  if (!(await d.required())) return
  const production: string[] = []
  for (const id of new Set(tenants)) {
    const p = await d.profile(id)
    if (p?.environment === 'production') production.push(p.label)
  }
  if (!production.length) return
  throw new CoreError('VALIDATION', `Give a reason: writes to production tenants (${production.join(', ')}) need one.`, {
    fields: { reason: 'A reason is required for production tenants' }
  })
}
