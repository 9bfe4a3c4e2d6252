import { useId, useState, type FormEvent } from 'react'
import type { RadarKeyItem } from '../../../../shared/contract'
import type { OutsideKind } from '../../../../shared/radar'
import { useUi } from '../../lib/store'
import { Dialog } from '../../ui/Dialog'
import { EnvBadge } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { FormActions } from '../../ui/FormActions'
import { ReasonField, reasonErrorOf } from '../journal'
import { OutsideWho } from './OutsideWho'
import { useAcknowledgeOutside } from './queries'

/**
 * "This change was expected": a key created or revoked outside KeyDesk leaves the radar. The reason
 * is required; main journals it with the operator's account (never a name the page sends).
 */
export function OutsideAckDialog({ item, kind }: { item: RadarKeyItem; kind: OutsideKind }) {
  // Cancelled: focus goes back to the row's button. Acknowledged: that row leaves the list, so focus
  // waits on the list's heading instead.
  const onClose = (done: boolean) => {
    useUi.getState().closeDialog()
    if (done) useUi.setState({ focusAfterClose: document.querySelector<HTMLElement>('.radar .radar-h2') })
  }
  const summaryId = useId()
  const ack = useAcknowledgeOutside()
  const [reason, setReason] = useState('')
  const change = item.outside?.find((c) => c.kind === kind) ?? null
  const name = item.key?.name ?? item.keyId
  const fieldError = reasonErrorOf(ack.error)
  const ready = reason.trim().length > 0
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!ready || ack.isPending) return
    ack.mutate({ tenant: item.tenant.id, keyId: item.keyId, kind, reason }, { onSuccess: () => onClose(true) })
  }
  return (
    <Dialog title={`Acknowledge change in ${item.tenant.label}`} onClose={() => onClose(false)} describedBy={summaryId}>
      <form className="form" onSubmit={submit} noValidate>
        <div className="callout" id={summaryId}>
          <p style={{ margin: 0 }}>
            <strong>{name}</strong> {item.key && <code className="muted">{item.key.key_preview}</code>} in <strong>{item.tenant.label}</strong>{' '}
            <EnvBadge env={item.tenant.environment} compact /> was {kind === 'created' ? 'created' : 'revoked'} outside KeyDesk
            {change && <OutsideWho change={change} />}.
          </p>
          <p style={{ margin: '6px 0 0' }}>Acknowledging removes it from the radar. KeyDesk&apos;s journal keeps who acknowledged it and why.</p>
        </div>
        <ReasonField
          value={reason}
          onChange={setReason}
          required
          requiredNote="required"
          label="Why is this change expected?"
          error={ack.error}
          disabled={ack.isPending}
          hint="Kept in KeyDesk's journal with your account name."
          placeholder="e.g. made by the deploy pipeline, ticket OPS-42"
        />
        {!fieldError && <ErrorCallout error={ack.error} />}
        <FormActions onCancel={() => onClose(false)}>
          <button type="submit" className="button primary" disabled={!ready || ack.isPending}>
            {`Acknowledge in ${item.tenant.label}`}
          </button>
        </FormActions>
      </form>
    </Dialog>
  )
}
