import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import type { ApiKey } from '../../../shared/meshqu'
import type { TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { ErrorCallout } from '../components/ErrorCallout'
import { api, appErrorOf, unwrap } from '../lib/api'
import { qk, upsertKey, useKeys } from '../lib/queries'
import { useUi } from '../lib/store'
import { CopyOnceDialog } from './CopyOnceDialog'
import { ExpiryChoice } from './CreateKeyDialog'
import { DEFAULT_EXPIRY, expiryFrom, fieldErrorsFromReply, rotatedName, validateCreate, type ExpiryPresetId, type FieldErrors } from './scope-presets'

type Step = 'form' | 'copy' | 'finish'

/** Rotation: a replacement with the same scopes, shown once, then the old key revoked now or later. */
export function RotateDialog({ tenant, keyId }: { tenant: TenantView; keyId: string }) {
  const close = useUi((s) => s.closeDialog)
  const qc = useQueryClient()
  const id = useId()
  const cached = useKeys(tenant.id).data?.data.keys.find((k) => k.id === keyId)
  // The key as it was when the dialog opened: later refetches (or its revocation) must not end the flow.
  const [old] = useState<ApiKey | undefined>(cached)
  const current = old ?? cached
  const [name, setName] = useState(() => (current ? rotatedName(current.name, Date.now()) : ''))
  const [preset, setPreset] = useState<ExpiryPresetId>(DEFAULT_EXPIRY)
  const [date, setDate] = useState('')
  const [local, setLocal] = useState<FieldErrors>({})
  const [step, setStep] = useState<Step>('form')
  // Revoking the old key is permanent: its name is typed back first, as for any revocation.
  const [typedOld, setTypedOld] = useState('')
  const prod = tenant.environment === 'production'
  const nameRef = useRef<HTMLInputElement>(null)
  const laterRef = useRef<HTMLButtonElement>(null)
  // Dialog focuses its first focusable (the × button); start on the field or the safe choice instead.
  useEffect(() => {
    if (step === 'form') nameRef.current?.focus()
    if (step === 'finish') laterRef.current?.focus()
  }, [step])

  const rotate = useMutation({
    mutationFn: async (input: { name: string; expires_at: string | null }) =>
      unwrap(await api().keys.rotate({ tenant: tenant.id, id: keyId, name: input.name, expires_at: input.expires_at })),
    onSuccess: (res) => {
      upsertKey(qc, tenant.id, res.created.key)
      upsertKey(qc, tenant.id, res.old)
      setStep('copy')
    }
  })
  const finish = useMutation({
    mutationFn: async ({ newKeyId, revokeOld }: { newKeyId: string; revokeOld: boolean }) =>
      unwrap(await api().keys.finishRotation({ tenant: tenant.id, oldKeyId: keyId, newKeyId, revokeOld })),
    onSuccess: (res) => {
      if (res.old) upsertKey(qc, tenant.id, res.old)
      void qc.invalidateQueries({ queryKey: qk.rotations(tenant.id) })
      close()
    }
  })

  const created = rotate.data?.created

  if (step === 'copy' && created) {
    return (
      <CopyOnceDialog
        tenant={tenant}
        keyName={created.key.name}
        preview={created.key.key_preview}
        revealId={created.revealId}
        onDone={() => setStep('finish')}
      />
    )
  }

  if (step === 'finish' && created) {
    const decide = (revokeOld: boolean) => {
      if (!finish.isPending) finish.mutate({ newKeyId: created.key.id, revokeOld })
    }
    const finishError = finish.error ? appErrorOf(finish.error) : null
    return (
      // Closing without a choice keeps the old key as a pending rotation, like "Later".
      <Dialog title="Rotate API key" onClose={() => decide(false)} tone="danger" describedBy={`${id}-question`}>
        <h3 id={`${id}-question`} style={{ margin: 0 }}>
          Revoke the old key now?
        </h3>
        <p>
          <strong>{created.key.name}</strong> (<code>{created.key.key_preview}</code>) replaces <strong>{current?.name ?? 'the old key'}</strong>
          {current && (
            <>
              {' '}
              (<code>{current.key_preview}</code>)
            </>
          )}{' '}
          in <strong>{tenant.label}</strong>. Revoke the old key now if every service already uses the new one; revocation is permanent. Otherwise
          choose Later: KeyDesk keeps the old key and reminds you that the rotation is pending.
        </p>
        {current && (
          <label className="field">
            <span>Type the old key&apos;s name to revoke it now</span>
            <input type="text" value={typedOld} onChange={(e) => setTypedOld(e.target.value)} placeholder={current.name} spellCheck={false} />
          </label>
        )}
        <ErrorCallout error={finishError} />
        <div className="form-actions">
          <button ref={laterRef} type="button" className="button" disabled={finish.isPending} onClick={() => decide(false)}>
            Later
          </button>
          <button type="button" className="button danger" disabled={finish.isPending || !current || typedOld !== current.name} onClick={() => decide(true)}>
            {prod ? 'Revoke old key in PRODUCTION now' : 'Revoke old key now'}
          </button>
        </div>
      </Dialog>
    )
  }

  if (!current) {
    return (
      <Dialog title="Rotate API key" onClose={close}>
        <p role="alert" className="callout callout-danger">
          This key is not in the loaded list any more. Refresh the list and try again.
        </p>
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Close
          </button>
        </div>
      </Dialog>
    )
  }

  const serverError = rotate.error ? appErrorOf(rotate.error) : null
  const errors: FieldErrors = { ...fieldErrorsFromReply(serverError?.fields), ...local }

  const clearError = (field: keyof FieldErrors) => {
    if (local[field])
      setLocal((l) => {
        const next = { ...l }
        delete next[field]
        return next
      })
    if (rotate.error) rotate.reset()
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (rotate.isPending) return
    const now = Date.now()
    const expires = expiryFrom(preset, now, date)
    const found = validateCreate(name, current.scopes, expires, now)
    setLocal(found)
    if (Object.keys(found).length > 0) {
      if (found.name) document.getElementById(`${id}-name`)?.focus()
      return
    }
    rotate.mutate({ name: name.trim(), expires_at: expires ?? null })
  }

  return (
    <Dialog title="Rotate API key" onClose={close} wide>
      <form className="form" onSubmit={submit} noValidate aria-busy={rotate.isPending}>
        {prod && (
          <p className="callout callout-danger">
            <strong>{tenant.label}</strong> is a <strong>PRODUCTION</strong> tenant.
          </p>
        )}
        <dl className="fields">
          <dt>Key</dt>
          <dd>
            <strong>{current.name}</strong>
          </dd>
          <dt>Preview</dt>
          <dd>
            <code>{current.key_preview}</code>
          </dd>
          <dt>Scopes</dt>
          <dd>
            {current.scopes.map((s) => (
              <code key={s} className="chip scope-chip" style={{ marginRight: 4 }}>
                {s}
              </code>
            ))}
            <div className="muted">The replacement keeps these scopes.</div>
          </dd>
        </dl>
        <label className="field">
          <span>New key name</span>
          <input
            ref={nameRef}
            id={`${id}-name`}
            type="text"
            value={name}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? `${id}-name-error` : undefined}
            onChange={(e) => {
              setName(e.target.value)
              clearError('name')
            }}
          />
          {errors.name && (
            <span className="field-error" id={`${id}-name-error`}>
              {errors.name}
            </span>
          )}
        </label>
        <ExpiryChoice
          preset={preset}
          date={date}
          onPreset={(p) => {
            setPreset(p)
            clearError('expires_at')
          }}
          onDate={(d) => {
            setDate(d)
            clearError('expires_at')
          }}
          error={errors.expires_at}
        />
        {errors.scopes && <p className="field-error">{errors.scopes}</p>}
        <ErrorCallout error={serverError} />
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={rotate.isPending}>
            Rotate key
          </button>
        </div>
      </form>
    </Dialog>
  )
}
