import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { TenantView } from '../../../../shared/tenants'
import { api, unwrap } from '../../lib/api'
import { fleetStoreChanged } from '../../lib/fleet-store-reads'
import { qk } from '../../lib/query-keys'
import { TypeBackField } from '../../ui/ConfirmWrite'
import { Dialog } from '../../ui/Dialog'
import { TenantName } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { FormActions } from '../../ui/FormActions'
import { UnlockFields, type UnlockMinutes } from './UnlockFields'

export interface UnlockRevokeTarget {
  tenant: TenantView
  keyId: string
  keyName: string
  preview: string | null
}

/**
 * The emergency path from a search hit or a radar row on a locked tenant: one dialog takes the
 * reason (for the unlock and the revoke) and the key's name typed back, then unlocks and revokes.
 */
export function UnlockAndRevokeDialog({ target, onClose, onRevoked }: { target: UnlockRevokeTarget; onClose: () => void; onRevoked?: () => void }) {
  const { tenant, keyId, keyName } = target
  const [reason, setReason] = useState('')
  const [minutes, setMinutes] = useState<UnlockMinutes>(5)
  const [typed, setTyped] = useState('')
  const qc = useQueryClient()
  const run = useMutation({
    mutationFn: async () => {
      unwrap(await api().unlock.start({ tenants: [tenant.id], reason, minutes }))
      return unwrap(await api().keys.revoke({ tenant: tenant.id, id: keyId, name: keyName, reason }))
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: qk.unlocks })
      void qc.invalidateQueries({ queryKey: qk.journal })
      void qc.invalidateQueries({ queryKey: qk.keys(tenant.id) })
      fleetStoreChanged(qc, [tenant.id])
    },
    onSuccess: () => {
      onRevoked?.()
      onClose()
    }
  })
  const ready = reason.trim().length > 0 && typed === keyName
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (ready && !run.isPending) run.mutate()
  }
  return (
    <Dialog title={`Unlock and revoke in ${tenant.label}`} onClose={onClose} tone="danger">
      <form className="form" onSubmit={submit} noValidate>
        <dl className="fields">
          <dt>Tenant</dt>
          <dd>
            <TenantName tenant={tenant} /> (read-only)
          </dd>
          <dt>Key</dt>
          <dd>
            <strong>{keyName}</strong> {target.preview && <code>{target.preview}</code>}
          </dd>
        </dl>
        <p className="callout callout-danger">
          Writes of {tenant.label} are unlocked for the time chosen, then the key is revoked: immediately and permanently.
        </p>
        <UnlockFields reason={reason} onReason={setReason} minutes={minutes} onMinutes={setMinutes} disabled={run.isPending} />
        <TypeBackField
          label="Type the key name to confirm"
          hint={
            <>
              Exactly <code>{keyName}</code>.
            </>
          }
          value={typed}
          onChange={setTyped}
          disabled={run.isPending}
        />
        <ErrorCallout error={run.error} context={{ operation: 'revoke', tenantLabel: tenant.label, keyName }} />
        <FormActions onCancel={onClose}>
          <button type="submit" className="button danger" disabled={!ready || run.isPending}>
            {run.isPending ? 'Revoking…' : `Unlock and revoke in ${tenant.label}`}
          </button>
        </FormActions>
      </form>
    </Dialog>
  )
}
