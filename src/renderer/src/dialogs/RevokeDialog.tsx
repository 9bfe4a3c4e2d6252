import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { keyStatus } from '../../../shared/key-view'
import type { AppError } from '../../../shared/errors'
import type { TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { TenantName } from '../components/EnvBadge'
import { api, appErrorOf, unwrap } from '../lib/api'
import { describeError } from '../lib/errors'
import { qk, upsertKey, useKeys } from '../lib/queries'
import { useUi } from '../lib/store'
import { exactUtc, relativeTime } from '../lib/time'
import { useNow } from '../lib/use-now'

const withCorrelation = (text: string, e: AppError) => (e.correlationId ? `${text} Correlation id ${e.correlationId}.` : text)

/** What happened and what to do, in the words of this dialog (tenant and key named). */
function revokeErrorText(e: AppError, tenantLabel: string, keyName: string): string {
  switch (e.code) {
    case 'NOT_FOUND':
      return withCorrelation(
        `MeshQu does not know ${keyName} in tenant ${tenantLabel} (404): it was already removed, or it belongs to another tenant. Refresh the list; nothing was revoked.`,
        e
      )
    case 'FORBIDDEN':
      return withCorrelation(
        `MeshQu refused to revoke ${keyName} for tenant ${tenantLabel} (403). It may belong to another tenant, or the admin key lacks api-keys:admin; nothing was revoked.`,
        e
      )
    default:
      // OFFLINE and TIMEOUT messages already say the revocation may not have been applied.
      return describeError(e)
  }
}

/** Names the tenant and the key, asks for the key's name typed back, and says "permanent". */
export function RevokeDialog({ tenant, keyId }: { tenant: TenantView; keyId: string }) {
  const close = () => useUi.getState().closeDialog()
  const qc = useQueryClient()
  const key = useKeys(tenant.id).data?.data.keys.find((k) => k.id === keyId)
  const [typed, setTyped] = useState('')
  const now = useNow(30_000)
  const warningId = useId()
  const revoke = useMutation({
    mutationFn: async () => unwrap(await api().keys.revoke({ tenant: tenant.id, id: keyId, name: key?.name })),
    onSuccess: (revoked) => {
      // null: MeshQu revoked it (204) but the key could not be read back; reload the list instead.
      if (revoked) upsertKey(qc, tenant.id, revoked)
      else void qc.invalidateQueries({ queryKey: qk.keys(tenant.id) })
      void qc.invalidateQueries({ queryKey: qk.rotations(tenant.id) })
      close()
    },
    onError: (err) => {
      if (appErrorOf(err).code === 'NOT_FOUND') void qc.invalidateQueries({ queryKey: qk.keys(tenant.id) })
    }
  })

  const prod = tenant.environment === 'production'
  const tenantLine = <TenantName tenant={tenant} />

  if (!key) {
    return (
      <Dialog title="Revoke API key" onClose={close} tone="danger">
        <div className="form">
          <p role="status">
            This key is no longer in the list of tenant {tenantLine}. It may have been removed; refresh the list and try again.
          </p>
          <div className="form-actions">
            <button type="button" className="button primary" onClick={close}>
              Close
            </button>
          </div>
        </div>
      </Dialog>
    )
  }

  const already = key.revoked_at !== null || keyStatus(key, now) === 'revoked'
  const own = tenant.adminKeyPreview !== null && key.key_preview === tenant.adminKeyPreview
  const matches = typed === key.name
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (matches && !already && !revoke.isPending) revoke.mutate()
  }
  const error = revoke.error ? appErrorOf(revoke.error) : null

  return (
    <Dialog title="Revoke API key" onClose={close} tone="danger" describedBy={warningId}>
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
                (<span title={exactUtc(key.revoked_at)}>{relativeTime(key.revoked_at, now)}</span>)
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
                This is the admin key KeyDesk uses for {tenant.label}. Revoking it locks KeyDesk (and anything else using it) out of this tenant
                until you replace it in the tenant&apos;s settings.
              </p>
            )}
            <label className="field">
              <span>Type the key name to confirm</span>
              <input
                type="text"
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoFocus
                autoComplete="off"
                spellCheck={false}
                disabled={revoke.isPending}
                aria-describedby={`${warningId}-hint`}
              />
              <span className="hint" id={`${warningId}-hint`}>
                Exactly <code>{key.name}</code>, as shown above.
              </span>
            </label>
          </>
        )}
        {error && (
          <p className="callout callout-danger" role="alert">
            {revokeErrorText(error, tenant.label, key.name)}
          </p>
        )}
        <div className="form-actions">
          {already ? (
            <button type="button" className="button primary" onClick={close}>
              Close
            </button>
          ) : (
            <>
              <button type="button" className="button" onClick={close}>
                Cancel
              </button>
              <button type="submit" className="button danger" disabled={!matches || revoke.isPending}>
                {revoke.isPending ? 'Revoking…' : 'Revoke key'}
              </button>
            </>
          )}
        </div>
      </form>
    </Dialog>
  )
}
