import type { ReactNode } from 'react'
import type { TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { CloseFooter } from '../../ui/CloseFooter'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { useKeys } from './queries'

/**
 * A key's write dialog reads the key from its tenant's list. The tenant need not be the one shown
 * (a radar row, a Search all hit): its list is read here, for the dialog, and the dialog opens once
 * it is in, so it never says "no longer in the list" about a key whose list simply was not read.
 */
export function WhenKeysListed({ tenant, title, children }: { tenant: TenantView; title: string; children: ReactNode }) {
  const keys = useKeys(tenant.id)
  if (keys.data) return <>{children}</>
  const close = () => useUi.getState().closeDialog()
  return (
    <Dialog title={title} tenant={tenant} onClose={close}>
      {keys.isError ? (
        <ErrorCallout error={keys.error} context={{ tenantLabel: tenant.label }} />
      ) : (
        <p role="status">Reading the keys of {tenant.label}…</p>
      )}
      <CloseFooter onClose={close} />
    </Dialog>
  )
}
