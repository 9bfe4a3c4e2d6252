import { useEffect, useId, useRef, useState } from 'react'
import { FormProvider } from 'react-hook-form'
import type { ApiKey } from '../../../../shared/meshqu'
import type { Scope } from '../../../../shared/scopes'
import type { TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { CopyOnceDialog } from '../copy-once/CopyOnceDialog'
import { useKeys } from '../keys/queries'
import { ExpiryField } from './ExpiryField'
import { scopesError, useKeyForm } from './key-form'
import { useFinishRotation, useRotateKey } from './mutations'
import { rotatedName } from './scope-presets'

type Step = 'form' | 'copy' | 'finish'

/** Rotation: a replacement with the same scopes, shown once, then the old key revoked now or later. */
export function RotateDialog({ tenant, keyId }: { tenant: TenantView; keyId: string }) {
  const close = useUi((s) => s.closeDialog)
  const id = useId()
  const cached = useKeys(tenant.id).data?.data.keys.find((k) => k.id === keyId)
  // The key as it was when the dialog opened: later refetches (or its revocation) must not end the flow.
  const [old] = useState<ApiKey | undefined>(cached)
  const current = old ?? cached
  // The replacement keeps the old key's scopes; the shared schema still checks them.
  const [defaults] = useState(() => ({ name: current ? rotatedName(current.name, Date.now()) : '', scopes: (current?.scopes ?? []) as Scope[] }))
  const { form, showServerError, fieldsShown } = useKeyForm(defaults)
  const { register, handleSubmit, formState } = form
  const errors = formState.errors
  const [step, setStep] = useState<Step>('form')
  // Revoking the old key is permanent: its name is typed back first, as for any revocation.
  const [typedOld, setTypedOld] = useState('')
  const prod = tenant.environment === 'production'
  const laterRef = useRef<HTMLButtonElement>(null)
  // On the finish step, start on the safe choice.
  useEffect(() => {
    if (step === 'finish') laterRef.current?.focus()
  }, [step])

  const rotate = useRotateKey(tenant.id, keyId)
  const finish = useFinishRotation(tenant.id, keyId)
  const created = rotate.data?.created

  if (step === 'copy' && created) {
    return (
      <CopyOnceDialog
        tenant={tenant}
        keyName={created.key.name}
        preview={created.key.key_preview}
        revealId={created.revealId}
        scopes={created.key.scopes}
        expiresAt={created.key.expires_at}
        onDone={() => setStep('finish')}
      />
    )
  }

  if (step === 'finish' && created) {
    const decide = (revokeOld: boolean) => {
      if (!finish.isPending) finish.mutate({ newKeyId: created.key.id, revokeOld }, { onSuccess: close })
    }
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
        <ErrorCallout error={finish.error} context={{ tenantLabel: tenant.label, keyName: current?.name }} />
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

  const submit = handleSubmit((body) => {
    if (rotate.isPending) return
    rotate.mutate({ name: body.name, expires_at: body.expiry ?? null }, { onSuccess: () => setStep('copy'), onError: showServerError })
  })

  return (
    <Dialog title="Rotate API key" onClose={close} wide>
      <FormProvider {...form}>
        <form className="form" onSubmit={submit} onChange={() => rotate.error && rotate.reset()} noValidate aria-busy={rotate.isPending}>
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
              id={`${id}-name`}
              type="text"
              maxLength={200}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? `${id}-name-error` : undefined}
              {...register('name')}
            />
            {errors.name && (
              <span className="field-error" id={`${id}-name-error`}>
                {errors.name.message}
              </span>
            )}
          </label>
          <ExpiryField />
          {scopesError(errors) && <p className="field-error">{scopesError(errors)}</p>}
          <ErrorCallout error={rotate.error} context={{ tenantLabel: tenant.label, keyName: current.name, fieldsShown }} />
          <div className="form-actions">
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={rotate.isPending}>
              Rotate key
            </button>
          </div>
        </form>
      </FormProvider>
    </Dialog>
  )
}
