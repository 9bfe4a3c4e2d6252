import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { ErrorCallout } from '../components/ErrorCallout'
import { api, appErrorOf, unwrap } from '../lib/api'
import { qk } from '../lib/queries'
import { useUi } from '../lib/store'

/** Removes the profile, its keychain entry and its offline snapshot. Keys in MeshQu are untouched. */
export function RemoveTenantDialog({ tenant }: { tenant: TenantView }) {
  const close = useUi((s) => s.closeDialog)
  const setActive = useUi((s) => s.setActiveTenant)
  const qc = useQueryClient()
  const prod = tenant.environment === 'production'
  const [typed, setTyped] = useState('')
  const remove = useMutation({
    mutationFn: async () => unwrap(await api().tenants.remove({ tenant: tenant.id, confirmLabel: prod ? typed : undefined })),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ['tenant', tenant.id] })
      void qc.invalidateQueries({ queryKey: qk.tenants })
      if (useUi.getState().activeTenantId === tenant.id) setActive(null)
      close()
    }
  })
  const error = remove.error ? appErrorOf(remove.error) : null
  return (
    <Dialog title="Remove tenant" onClose={close} tone="danger">
      <p>
        Remove <strong>{tenant.label}</strong> from KeyDesk? Its admin key is deleted from the keychain and its offline copy from this
        computer. Nothing changes in MeshQu: its API keys keep working.
      </p>
      {prod && (
        <label className="field">
          <span>Type the tenant label to confirm</span>
          <input type="text" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus placeholder={tenant.label} />
        </label>
      )}
      <ErrorCallout error={error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="button danger" disabled={remove.isPending || (prod && typed !== tenant.label)} onClick={() => remove.mutate()}>
          Remove {tenant.label}
        </button>
      </div>
    </Dialog>
  )
}
