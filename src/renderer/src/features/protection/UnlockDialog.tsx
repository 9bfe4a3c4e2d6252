import { useState, type FormEvent } from 'react'
import type { TenantView } from '../../../../shared/tenants'
import { Dialog } from '../../ui/Dialog'
import { TenantName } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { FormActions } from '../../ui/FormActions'
import { useStartUnlock } from './queries'
import { UnlockFields, type UnlockMinutes } from './UnlockFields'

/** "Unlock writes…": a read-only tenant's writes, for a few minutes, with a reason. */
export function UnlockDialog({ tenants, onClose }: { tenants: TenantView[]; onClose: () => void }) {
  const [reason, setReason] = useState('')
  const [minutes, setMinutes] = useState<UnlockMinutes>(15)
  const start = useStartUnlock()
  const ready = reason.trim().length > 0 && tenants.length > 0
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!ready || start.isPending) return
    start.mutate({ tenants: tenants.map((t) => t.id), reason, minutes }, { onSuccess: onClose })
  }
  const names = tenants.map((t) => t.label).join(', ')
  return (
    <Dialog title="Unlock writes" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <p>
          {tenants.length === 1 ? (
            <>
              <TenantName tenant={tenants[0]!} /> is read-only.
            </>
          ) : (
            <>{names} are read-only.</>
          )}{' '}
          Unlocking allows creating, revoking, rotating and scheduling in {tenants.length === 1 ? 'this tenant' : 'these tenants'} only, until the
          time is up.
        </p>
        <UnlockFields reason={reason} onReason={setReason} minutes={minutes} onMinutes={setMinutes} disabled={start.isPending} />
        <ErrorCallout error={start.error} />
        <FormActions onCancel={onClose}>
          <button type="submit" className="button primary" disabled={!ready || start.isPending}>
            {start.isPending ? 'Unlocking…' : `Unlock ${names} for ${minutes} minutes`}
          </button>
        </FormActions>
      </form>
    </Dialog>
  )
}
