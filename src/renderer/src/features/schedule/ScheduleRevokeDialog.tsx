import { useId, useState, type ReactNode } from 'react'
import { isRevoked } from '../../../../shared/key-view'
import type { TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { useNow } from '../../lib/use-now'
import { CloseFooter } from '../../ui/CloseFooter'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { ReasonField, reasonReady, reasonToSend, useReasonRequired } from '../journal'
import { useKeys, useWriteBlock, WriteBlocked } from '../keys'
import { useKeySchedule, useScheduleRevoke } from './queries'
import { ScheduleCountdown } from './ScheduleCountdown'
import { ScheduleForm } from './ScheduleForm'

/**
 * "Schedule…" from a radar row or a Search all hit: the detail panel's scheduled revoke, in a
 * dialog for the key's own tenant, so scheduling never switches the tenant shown.
 */
export function ScheduleRevokeDialog({ tenant, keyId }: { tenant: TenantView; keyId: string }) {
  const close = () => useUi.getState().closeDialog()
  const id = useId()
  const key = useKeys(tenant.id).data?.data.keys.find((k) => k.id === keyId)
  const { schedule, clockOffset } = useKeySchedule(tenant.id, keyId)
  const set = useScheduleRevoke(tenant.id, keyId, key?.name ?? keyId)
  const [reason, setReason] = useState('')
  const reasonRequired = useReasonRequired(tenant.environment === 'production')
  const blocked = useWriteBlock(tenant)
  const now = useNow(30_000)

  const done = (text: ReactNode) => (
    <Dialog title="Schedule a revoke" tenant={tenant} onClose={close}>
      <p role="status">{text}</p>
      <CloseFooter onClose={close} />
    </Dialog>
  )
  if (!key) return done(`This key is no longer in the list of ${tenant.label}. Refresh the list and try again.`)
  if (isRevoked(key, now)) return done(`${key.name} is already revoked; there is nothing to schedule.`)
  if (schedule && schedule.state !== 'failed' && !set.isSuccess) {
    return done(
      <>
        {key.name}: <ScheduleCountdown schedule={schedule} clockOffset={clockOffset} />
      </>
    )
  }

  return (
    <Dialog title="Schedule a revoke" tenant={tenant} onClose={close} tone="danger" describedBy={`${id}-what`}>
      <p id={`${id}-what`} style={{ margin: 0 }}>
        KeyDesk revokes <strong>{key.name}</strong> <code>{key.key_preview}</code> when the time comes (at the next start if it is closed then). You
        can cancel until then.
      </p>
      <ScheduleForm
        tenant={tenant}
        pending={set.isPending}
        disabled={!!blocked || !reasonReady(reason, reasonRequired)}
        onSchedule={(when) => set.mutate({ when, reason: reasonToSend(reason) }, { onSuccess: close })}
        before={
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
        }
      >
        <ReasonField value={reason} onChange={setReason} required={reasonRequired} error={set.error} disabled={set.isPending} />
        <WriteBlocked id={`${id}-blocked`} reason={blocked} />
        <ErrorCallout error={set.error} context={{ tenantLabel: tenant.label, keyName: key.name, fieldsShown: true }} />
      </ScheduleForm>
    </Dialog>
  )
}
