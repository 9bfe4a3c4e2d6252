import { useEffect, useId, useRef, useState } from 'react'
import { FormProvider } from 'react-hook-form'
import { KEY_NAME_MAX, type ApiKey } from '../../../../shared/meshqu'
import type { ScheduleWhen } from '../../../../shared/schedule'
import type { Scope } from '../../../../shared/scopes'
import type { TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { CopyOnceDialog } from '../copy-once'
import { ReasonField, reasonReady, reasonToSend, useReasonRequired } from '../journal'
import { ScheduleForm } from '../schedule'
import { useKeys, usePendingRotations, useWriteBlock, WriteBlocked } from '../keys'
import { ExpiryField } from './ExpiryField'
import { KeyNameField } from './KeyNameField'
import { scopesError, useKeyForm } from './key-form'
import { useAdoptRotatedAdminKey, useDiscardReveal, useFinishRotation, useRotateKey } from './mutations'
import { isOwnAdminKey } from '../../../../shared/key-view'
import { proposeRotatedName } from './scope-presets'
import { CloseFooter } from '../../ui/CloseFooter'
import { appErrorOf } from '../../lib/api'
import { policyLimits } from '../../../../shared/policy'
import { PolicyLimits, policyFieldError, usePolicy, useWaiver, WaiverFields, waiverToSend } from '../policy'
import { ConfirmButton, ConfirmWrite, TypeBackField } from '../../ui/ConfirmWrite'
import { confirmMode } from '../protection'

type Step = 'form' | 'copy' | 'finish'

/** Rotation: a replacement with the same scopes, shown once, then the old key revoked now or later. */
export function RotateDialog({ tenant, keyId }: { tenant: TenantView; keyId: string }) {
  const close = useUi((s) => s.closeDialog)
  const id = useId()
  const allKeys = useKeys(tenant.id).data?.data.keys
  const cached = allKeys?.find((k) => k.id === keyId)
  const rotations = usePendingRotations(tenant.id).data?.pending ?? []
  // The key as it was when the dialog opened: later refetches (or its revocation) must not end the flow.
  const [old] = useState<ApiKey | undefined>(cached)
  const current = old ?? cached
  // The replacement keeps the old key's scopes; the shared schema still checks them.
  // Never a name another key already has; a cut to fit the limit is said under the field.
  const [proposal] = useState(() =>
    current ? proposeRotatedName(current.name, Date.now(), new Set((allKeys ?? []).map((k) => k.name))) : { name: '', shortened: false }
  )
  const [defaults] = useState(() => ({ name: proposal.name, scopes: (current?.scopes ?? []) as Scope[] }))
  const { form, showServerError, fieldsShown } = useKeyForm(defaults)
  const { handleSubmit, formState } = form
  const errors = formState.errors
  const [step, setStep] = useState<Step>('form')
  // Revoking the old key is permanent: its name is typed back first, as for any revocation.
  const [typedOld, setTypedOld] = useState('')
  const prod = tenant.environment === 'production'
  // One reason for the whole rotation: the rotate, and the old key's revoke (now or scheduled).
  const [reason, setReason] = useState('')
  const reasonRequired = useReasonRequired(prod)
  const laterRef = useRef<HTMLButtonElement>(null)
  // On the finish step, start on the safe choice.
  useEffect(() => {
    if (step === 'finish') laterRef.current?.focus()
  }, [step])

  const rotate = useRotateKey(tenant.id, keyId)
  const blocked = useWriteBlock(tenant)
  const finish = useFinishRotation(tenant.id, keyId)
  const created = rotate.data?.created
  // Rotating the admin key KeyDesk itself uses: the new key can go straight to KeyDesk's keychain.
  const own = !!current && isOwnAdminKey(current, tenant)
  // Open tenants revoke the old key with one button naming key and tenant, as a revoke does; KeyDesk's
  // own admin key keeps the typed name, since revoking it locks KeyDesk out.
  const byButton = confirmMode(tenant.level) === 'button' && !own
  const adopt = useAdoptRotatedAdminKey(tenant.id, keyId)
  const discard = useDiscardReveal()
  // Once the copy-once dialog closed, its slot is gone: the new key can no longer be adopted.
  const [slotShown, setSlotShown] = useState(false)
  const policy = usePolicy().data?.[tenant.environment]
  const [waiver, setWaiver] = useWaiver()
  const [waiverTried, setWaiverTried] = useState(false)
  const limited = !!policy && policyLimits(policy, tenant.environment) !== null

  if (step === 'copy' && created) {
    return (
      <CopyOnceDialog
        tenant={tenant}
        keyName={created.key.name}
        preview={created.key.key_preview}
        revealId={created.revealId}
        scopes={created.key.scopes}
        expiresAt={created.key.expires_at}
        onDone={() => {
          setSlotShown(true)
          setStep('finish')
        }}
      />
    )
  }

  if (step === 'finish' && created) {
    const canAdopt = own && !slotShown
    const decide = (revokeOld: boolean, schedule?: ScheduleWhen) => {
      if (finish.isPending || adopt.isPending) return
      // A slot never opened is dropped: the new key's plaintext does not wait in main for nothing.
      if (canAdopt) discard.mutate(created.revealId)
      finish.mutate({ newKeyId: created.key.id, revokeOld, schedule, reason: reasonToSend(reason) }, { onSuccess: close })
    }
    const adoptForKeyDesk = () => {
      if (!adopt.isPending) adopt.mutate({ newKeyId: created.key.id, revealId: created.revealId }, { onSuccess: close })
    }
    return (
      // Closing without a choice keeps the old key as a pending rotation, like "Later".
      <Dialog title="Rotate API key" tenant={tenant} onClose={() => decide(false)} tone="danger" describedBy={`${id}-question`}>
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
          choose Later: KeyDesk keeps the old key and reminds you that the rotation is pending. Or schedule its revoke: KeyDesk revokes it when the
          time comes (at the next start if it is closed then), and you can cancel until then.
        </p>
        {own && (
          <p className="callout callout-warn">
            {current?.name} is the admin key KeyDesk uses for {tenant.label}. Revoking it before KeyDesk uses the new key locks KeyDesk (and anything
            else using it) out of this tenant.
            {canAdopt && ' Use the new key for KeyDesk: KeyDesk verifies it, stores it in the keychain, then revokes the old one.'}
          </p>
        )}
        {canAdopt && (
          <div className="form-actions">
            <button type="button" className="button primary" disabled={adopt.isPending} onClick={adoptForKeyDesk}>
              {adopt.isPending ? 'Switching KeyDesk to the new key…' : 'Use the new key for KeyDesk'}
            </button>
            <button type="button" className="button" disabled={adopt.isPending} onClick={() => setStep('copy')}>
              Show the new key once instead
            </button>
          </div>
        )}
        <ErrorCallout error={adopt.error} context={{ tenantLabel: tenant.label }} />
        <ScheduleForm
          tenant={tenant}
          onSchedule={(when) => decide(false, when)}
          pending={finish.isPending}
          submitLabel="Schedule the old key's revoke"
        />
        {current && !byButton && (
          <TypeBackField label="Type the old key's name to revoke it now" value={typedOld} onChange={setTypedOld} placeholder={current.name} />
        )}
        <ErrorCallout error={finish.error} context={{ tenantLabel: tenant.label, keyName: current?.name }} />
        <div className="form-actions">
          <button ref={laterRef} type="button" className="button" disabled={finish.isPending} onClick={() => decide(false)}>
            Later
          </button>
          <ConfirmButton
            verb="Revoke old key now"
            tenants={tenant}
            disabled={!current || (!byButton && typedOld !== current.name)}
            pending={finish.isPending}
            pendingLabel="Revoking…"
            onConfirm={() => decide(true)}
          />
        </div>
      </Dialog>
    )
  }

  if (!current) {
    return (
      <Dialog title="Rotate API key" tenant={tenant} onClose={close}>
        <p role="alert" className="callout callout-danger">
          This key is not in the loaded list any more. Refresh the list and try again.
        </p>
        <CloseFooter onClose={close} />
      </Dialog>
    )
  }

  const pendingFor = rotations.filter((r) => r.oldKeyId === current.id).map((r) => allKeys?.find((k) => k.id === r.newKeyId)?.name ?? r.newKeyId)
  const submit = handleSubmit((body) => {
    if (rotate.isPending || blocked) return
    if (!reasonReady(reason, reasonRequired)) return
    const w = waiverToSend(waiver)
    if (w === 'missing-reason') return setWaiverTried(true)
    // KeyDesk's own admin key: first the choice to hand the new key to KeyDesk (the copy-once
    // dialog would discard it).
    rotate.mutate(
      { name: body.name, expires_at: body.expiry ?? null, reason: reasonToSend(reason), waiver: w ?? undefined },
      {
        onSuccess: () => setStep(own ? 'finish' : 'copy'),
        onError: (err) => {
          // Outside policy: the rule goes on its field, and the waiver is offered.
          const onField = policyFieldError(appErrorOf(err), {
            policy,
            environment: tenant.environment,
            subject: { scopes: current.scopes, expiresAt: body.expiry ? Date.parse(body.expiry) : null, ownAdmin: own }
          })
          if (!onField) return showServerError(err)
          form.setError(onField.field, { type: 'server', message: onField.message })
          setWaiver((v) => ({ ...v, on: true }))
        }
      }
    )
  })

  return (
    <Dialog title="Rotate API key" tenant={tenant} onClose={close} wide>
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
          {pendingFor.length > 0 && (
            <p className="callout callout-warn" role="status">
              A rotation of <strong>{current.name}</strong> is already pending: {pendingFor.join(', ')} replaced it and {current.name} is still
              active. Rotating again makes one more replacement; to finish the pending rotation, revoke {current.name} instead.
            </p>
          )}
          <KeyNameField
            label="New key name"
            hint={proposal.shortened ? `The proposed name was shortened to fit MeshQu's ${KEY_NAME_MAX}-character limit; check it.` : undefined}
          />
          <PolicyLimits environment={tenant.environment} />
          <ExpiryField />
          {scopesError(errors) && <p className="field-error">{scopesError(errors)}</p>}
          {(limited || waiver.on) && <WaiverFields value={waiver} onChange={setWaiver} disabled={rotate.isPending} showMissing={waiverTried} />}
          <ReasonField value={reason} onChange={setReason} required={reasonRequired} error={rotate.error} disabled={rotate.isPending} />
          <WriteBlocked id={`${id}-blocked`} reason={blocked} />
          <ErrorCallout error={rotate.error} context={{ tenantLabel: tenant.label, keyName: current.name, fieldsShown }} />
          <ConfirmWrite
            verb="Rotate key"
            tenants={tenant}
            danger={false}
            ready={!blocked && reasonReady(reason, reasonRequired)}
            pending={rotate.isPending}
            pendingLabel="Rotating…"
            onCancel={close}
            describedBy={blocked ? `${id}-blocked` : undefined}
          />
        </form>
      </FormProvider>
    </Dialog>
  )
}
