import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { api, appErrorOf, unwrap } from '../lib/api'
import { expiryFrom, formFieldErrors, suggestedRotationName, validateCreate, type ExpiryPreset } from '../lib/create-key'
import { describeError } from '../lib/errors'
import { qk, upsertKey, useKeys } from '../lib/queries'
import { useUi } from '../lib/store'
import { CopyOnceDialog } from './CopyOnce'
import { ExpiryField } from './ExpiryField'

type Step = 'form' | 'copy' | 'finish'

/** Rotation = create a replacement with the same scopes, show it once, then retire the old key. */
export function RotateDialog({ tenant, keyId }: { tenant: TenantView; keyId: string }) {
  const close = useUi((s) => s.closeDialog)
  const qc = useQueryClient()
  const old = useKeys(tenant.id).data?.data.keys.find((k) => k.id === keyId)
  const [name, setName] = useState(() => (old ? suggestedRotationName(old.name, Date.now()) : ''))
  const [preset, setPreset] = useState<ExpiryPreset>(old?.expires_at ? '90d' : 'never')
  const [date, setDate] = useState('')
  const [local, setLocal] = useState<Record<string, string>>({})
  const [step, setStep] = useState<Step>('form')
  const rotate = useMutation({
    mutationFn: async (expires_at: string | null) => unwrap(await api().keys.rotate({ tenant: tenant.id, id: keyId, name: name.trim(), expires_at })),
    onSuccess: (res) => {
      upsertKey(qc, tenant.id, res.created.key)
      setStep('copy')
    }
  })
  const finish = useMutation({
    mutationFn: async (revokeOld: boolean) =>
      unwrap(await api().keys.finishRotation({ tenant: tenant.id, oldKeyId: keyId, newKeyId: rotate.data!.created.key.id, revokeOld })),
    onSuccess: (res) => {
      if (res.old) upsertKey(qc, tenant.id, res.old)
      void qc.invalidateQueries({ queryKey: qk.rotations(tenant.id) })
      close()
    }
  })
  const prod = tenant.environment === 'production'

  if (!old) {
    return (
      <Dialog title="Rotate API key" onClose={close}>
        <p>This key is no longer in the list. Refresh and try again.</p>
      </Dialog>
    )
  }
  if (step === 'copy' && rotate.data) {
    const c = rotate.data.created
    return <CopyOnceDialog keyName={c.key.name} preview={c.key.key_preview} revealId={c.revealId} onDone={() => setStep('finish')} />
  }
  if (step === 'finish') {
    return (
      <Dialog title="Revoke the old key now?" onClose={() => finish.mutate(false)} tone="danger">
        <p>
          <strong>{name.trim()}</strong> replaces <strong>{old.name}</strong> (<code>{old.key_preview}</code>). Revoke the old key now if every service
          already uses the new one; otherwise keep it and KeyDesk reminds you that the rotation is pending.
        </p>
        {finish.error && (
          <p className="callout callout-danger" role="alert">
            {describeError(appErrorOf(finish.error))}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={() => finish.mutate(false)} disabled={finish.isPending}>
            Later
          </button>
          <button type="button" className="button danger" onClick={() => finish.mutate(true)} disabled={finish.isPending}>
            {prod ? 'Revoke old key in PRODUCTION now' : 'Revoke old key now'}
          </button>
        </div>
      </Dialog>
    )
  }

  const serverError = rotate.error ? appErrorOf(rotate.error) : null
  const errors = { ...formFieldErrors(serverError?.fields), ...local }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const now = Date.now()
    const expires = expiryFrom(preset, now, date)
    const found = validateCreate(name, old.scopes, expires, now)
    setLocal(found)
    if (Object.keys(found).length === 0) rotate.mutate(expires ?? null)
  }
  return (
    <Dialog title="Rotate API key" onClose={close}>
      <form className="form" onSubmit={submit} noValidate>
        <p>
          Rotating <strong>{old.name}</strong> (<code>{old.key_preview}</code>) in <strong>{tenant.label}</strong>. The replacement keeps its scopes:{' '}
          {old.scopes.map((s) => (
            <code key={s} className="chip scope-chip">
              {s}
            </code>
          ))}
        </p>
        <label className="field">
          <span>New key name</span>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
          {errors.name && <span className="field-error">{errors.name}</span>}
        </label>
        <ExpiryField preset={preset} date={date} onPreset={setPreset} onDate={setDate} error={errors.expires_at} />
        {serverError && (
          <p className="callout callout-danger" role="alert">
            {describeError(serverError)}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={rotate.isPending}>
            {rotate.isPending ? 'Rotating…' : 'Rotate key'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
