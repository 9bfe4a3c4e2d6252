import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { keyStatus } from '../../../shared/key-view'
import type { TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { EnvBadge } from '../components/EnvBadge'
import { api, appErrorOf, unwrap } from '../lib/api'
import { describeError } from '../lib/errors'
import { useKeys, upsertKey } from '../lib/queries'
import { useUi } from '../lib/store'
import { useNow } from '../lib/use-now'

/** Names the tenant and the key, asks for the key's name typed back, and says "permanent". */
export function RevokeDialog({ tenant, keyId }: { tenant: TenantView; keyId: string }) {
  const close = useUi((s) => s.closeDialog)
  const qc = useQueryClient()
  const key = useKeys(tenant.id).data?.data.keys.find((k) => k.id === keyId)
  const [typed, setTyped] = useState('')
  const now = useNow(60_000)
  const revoke = useMutation({
    mutationFn: async () => unwrap(await api().keys.revoke({ tenant: tenant.id, id: keyId, name: key?.name })),
    onSuccess: (k) => {
      upsertKey(qc, tenant.id, k)
      void qc.invalidateQueries({ queryKey: ['tenant', tenant.id, 'rotations'] })
      close()
    }
  })
  if (!key) {
    return (
      <Dialog title="Revoke API key" onClose={close} tone="danger">
        <p>This key is no longer in the list. Refresh and try again.</p>
      </Dialog>
    )
  }
  const already = keyStatus(key, now) === 'revoked'
  const prod = tenant.environment === 'production'
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (typed === key.name) revoke.mutate()
  }
  return (
    <Dialog title="Revoke API key" onClose={close} tone="danger">
      <form className="form" onSubmit={submit}>
        <div className="callout callout-danger">
          <p style={{ margin: 0 }}>
            Revoke <strong>{key.name}</strong> (<code>{key.key_preview}</code>) in tenant <strong>{tenant.label}</strong> <EnvBadge env={tenant.environment} />
            {prod && <strong> — PRODUCTION</strong>}?
          </p>
          <p style={{ margin: '6px 0 0' }}>Revocation is immediate and permanent: services using this key are refused at once, and it cannot be undone.</p>
        </div>
        {key.key_preview === tenant.adminKeyPreview && !already && (
          <p className="callout callout-warn" role="alert">
            This is the admin key KeyDesk uses for {tenant.label}. Revoking it locks KeyDesk (and anything else using it) out of this tenant until you
            replace it in Tenant settings.
          </p>
        )}
        {already ? (
          <p role="status">This key is already revoked; there is nothing to do.</p>
        ) : (
          <label className="field">
            <span>Type the key name to confirm</span>
            <input type="text" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus placeholder={key.name} spellCheck={false} />
          </label>
        )}
        {revoke.error && (
          <p className="callout callout-danger" role="alert">
            {appErrorOf(revoke.error).code === 'NOT_FOUND'
              ? `MeshQu no longer knows this key in ${tenant.label} (404); it may have been removed or belong to another tenant.`
              : describeError(appErrorOf(revoke.error))}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            {already ? 'Close' : 'Cancel'}
          </button>
          {!already && (
            <button type="submit" className="button danger" disabled={typed !== key.name || revoke.isPending}>
              {revoke.isPending ? 'Revoking…' : 'Revoke key'}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  )
}
