import { useId, useState, type FormEvent } from 'react'
import { isOwnAdminKey, isRevoked } from '../../../../shared/key-view'
import type { TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { exactUtc, relativeTime } from '../../lib/time'
import { useNow } from '../../lib/use-now'
import { Dialog } from '../../ui/Dialog'
import { TenantName } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { ReasonField, reasonReady, reasonToSend, useReasonRequired } from '../journal'
import { useKeys, useRevokeKey } from './queries'
import { useWriteBlock } from './write-block'
import { WriteBlocked } from './WriteBlocked'
import { CloseFooter } from '../../ui/CloseFooter'
import { ConfirmWrite, typedBack } from '../../ui/ConfirmWrite'
import { confirmMode } from '../protection'

/** Names the tenant and the key, asks for the key's name typed back, and says "permanent". */
export function RevokeDialog({ tenant, keyId }: { tenant: TenantView; keyId: string }) {
  const close = () => useUi.getState().closeDialog()
  const key = useKeys(tenant.id).data?.data.keys.find((k) => k.id === keyId)
  const [typed, setTyped] = useState('')
  const now = useNow(30_000)
  const warningId = useId()
  const revoke = useRevokeKey(tenant.id, keyId)
  const blocked = useWriteBlock(tenant)

  const prod = tenant.environment === 'production'
  const [reason, setReason] = useState('')
  const reasonRequired = useReasonRequired(prod)
  const tenantLine = <TenantName tenant={tenant} />

  if (!key) {
    return (
      <Dialog title="Revoke API key" tenant={tenant} onClose={close} tone="danger">
        <div className="form">
          <p role="status">This key is no longer in the list of tenant {tenantLine}. It may have been removed; refresh the list and try again.</p>
          <CloseFooter onClose={close} />
        </div>
      </Dialog>
    )
  }

  const already = isRevoked(key, now)
  const own = isOwnAdminKey(key, tenant)
  // Open tenants confirm with one button naming key and tenant; the others type the name back.
  const byButton = confirmMode(tenant.level) === 'button'
  const typeBack = byButton ? undefined : { expected: key.name, value: typed, onChange: setTyped }
  const matches = typedBack(typeBack) && reasonReady(reason, reasonRequired)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (matches && !already && !blocked && !revoke.isPending) revoke.mutate({ name: key.name, reason: reasonToSend(reason) }, { onSuccess: close })
  }

  return (
    <Dialog title="Revoke API key" tenant={tenant} onClose={close} tone="danger" describedBy={warningId}>
      <form className="form" onSubmit={submit} noValidate>
        <dl className="fields">
          <dt>Tenant</dt>
          <dd>{tenantLine}</dd>
          <dt>Key</dt>
          <dd>
            <strong>{key.name}</strong> <code>{key.key_preview}</code>
          </dd>
        </dl>
        {already ? (
          <p className="callout" role="status" id={warningId}>
            {key.name} is already revoked
            {key.revoked_at && (
              <>
                {' '}
                (<span title={exactUtc(key.revoked_at)}>{relativeTime(key.revoked_at, now, { past: true })}</span>)
              </>
            )}
            ; there is nothing to do.
          </p>
        ) : (
          <>
            <p className="callout callout-danger" id={warningId}>
              Revocation is immediate and permanent: services using this key will be refused at once.
              {prod && <strong> This is a production tenant.</strong>}
            </p>
            {own && (
              <p className="callout callout-warn">
                This is the admin key KeyDesk uses for {tenant.label}. Revoking it locks KeyDesk (and anything else using it) out of this tenant until
                you replace it in the tenant&apos;s settings.
              </p>
            )}
          </>
        )}
        {already ? (
          <>
            <ErrorCallout error={revoke.error} context={{ operation: 'revoke', tenantLabel: tenant.label, keyName: key.name }} />
            <CloseFooter onClose={close} />
          </>
        ) : (
          <ConfirmWrite
            verb={byButton ? `Revoke ${key.name}` : 'Revoke key'}
            tenants={tenant}
            typeBack={typeBack}
            typeBackLabel="Type the key name to confirm"
            typeBackHint={
              <>
                Exactly <code>{key.name}</code>, as shown above.
              </>
            }
            before={
              <>
                <ReasonField value={reason} onChange={setReason} required={reasonRequired} error={revoke.error} disabled={revoke.isPending} />
                <WriteBlocked id={`${warningId}-blocked`} reason={blocked} />
                <ErrorCallout error={revoke.error} context={{ operation: 'revoke', tenantLabel: tenant.label, keyName: key.name }} />
              </>
            }
            ready={reasonReady(reason, reasonRequired) && !blocked}
            pending={revoke.isPending}
            pendingLabel="Revoking…"
            onCancel={close}
            describedBy={blocked ? `${warningId}-blocked` : undefined}
          />
        )}
      </form>
    </Dialog>
  )
}
