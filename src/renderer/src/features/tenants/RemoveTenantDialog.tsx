import { useState } from 'react'
import type { TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { useRemoveTenant } from './queries'
import { neighbourAfterRemoval, tenantEntry } from './removal'
import { FormActions } from '../../ui/FormActions'

/** Removes the profile, its keychain entry and its keys in the fleet store. Keys in MeshQu are untouched. */
export function RemoveTenantDialog({ tenant, tenants, onSelect }: { tenant: TenantView; tenants: TenantView[]; onSelect: (id: string) => void }) {
  const close = useUi((s) => s.closeDialog)
  const setActive = useUi((s) => s.setActiveTenant)
  const prod = tenant.environment === 'production'
  const [typed, setTyped] = useState('')
  const remove = useRemoveTenant(tenant.id)
  const confirm = () =>
    remove.mutate(prod ? typed : undefined, {
      onSuccess: () => {
        const wasShown = useUi.getState().activeTenantId === tenant.id
        const next = wasShown ? neighbourAfterRemoval(tenants, tenant.id) : useUi.getState().activeTenantId
        if (wasShown) {
          if (next) onSelect(next)
          else setActive(null)
        }
        // The button this dialog came from (in the removed tenant's header) goes with it: focus
        // lands on the tenant now shown, in the sidebar (or on Add tenant when none is).
        close()
        useUi.setState({ focusAfterClose: tenantEntry(next) })
      }
    })
  return (
    <Dialog title="Remove tenant" onClose={close} tone="danger">
      <p>
        Remove <strong>{tenant.label}</strong> from KeyDesk? Its admin key is deleted from the keychain and its keys from the fleet store on this
        computer. Nothing changes in MeshQu: its API keys keep working.
      </p>
      {prod && (
        <label className="field">
          <span>Type the tenant label to confirm</span>
          <input type="text" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus placeholder={tenant.label} />
        </label>
      )}
      <ErrorCallout error={remove.error} context={{ tenantLabel: tenant.label }} />
      <FormActions onCancel={close}>
        <button type="button" className="button danger" disabled={remove.isPending || (prod && typed !== tenant.label)} onClick={confirm}>
          Remove {tenant.label}
        </button>
      </FormActions>
    </Dialog>
  )
}
