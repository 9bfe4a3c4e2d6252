import { useId, useState } from 'react'
import { Controller, FormProvider, useWatch } from 'react-hook-form'
import { SCOPE_AREAS, SCOPE_INFO, SCOPES, type Scope } from '../../../../shared/scopes'
import type { TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { CopyOnceDialog } from '../copy-once'
import { ExpiryField } from './ExpiryField'
import { KeyNameField } from './KeyNameField'
import { scopesError, useKeyForm } from './key-form'
import { useCreateKey } from './mutations'
import { useWriteBlock, WriteBlocked } from '../keys'
import { matchesPreset, orderedScopes, privilegedScopes, scopePresets } from './scope-presets'
import { appErrorOf } from '../../lib/api'
import { policyLimits } from '../../../../shared/policy'
import { PolicyLimits, policyFieldError, usePolicy, useWaiver, WaiverFields, waiverToSend } from '../policy'
import { ConfirmWrite } from '../../ui/ConfirmWrite'

interface Created {
  revealId: string
  keyName: string
  preview: string
  scopes: readonly string[]
  expiresAt: string | null
}

export function CreateKeyDialog({ tenant }: { tenant: TenantView }) {
  const close = useUi((s) => s.closeDialog)
  const id = useId()
  const [created, setCreated] = useState<Created | null>(null)
  const prod = tenant.environment === 'production'
  const { form, showServerError, fieldsShown } = useKeyForm({ name: '', scopes: [] })
  const { control, handleSubmit, formState } = form
  const errors = formState.errors
  const create = useCreateKey(tenant.id)
  const blocked = useWriteBlock(tenant)
  const scopes = useWatch({ control, name: 'scopes' }) as Scope[]
  const privileged = privilegedScopes(scopes)
  const policy = usePolicy().data?.[tenant.environment]
  const [waiver, setWaiver] = useWaiver()
  const [waiverTried, setWaiverTried] = useState(false)
  const limited = !!policy && policyLimits(policy, tenant.environment) !== null

  if (created) {
    return (
      <CopyOnceDialog
        tenant={tenant}
        keyName={created.keyName}
        preview={created.preview}
        revealId={created.revealId}
        scopes={created.scopes}
        expiresAt={created.expiresAt}
        onDone={close}
      />
    )
  }

  const submit = handleSubmit((body) => {
    if (create.isPending || blocked) return
    const w = waiverToSend(waiver)
    if (w === 'missing-reason') return setWaiverTried(true)
    const key = { name: body.name, scopes: body.scopes, expires_at: body.expiry ?? null }
    create.mutate(
      { key, waiver: w ?? undefined },
      {
        onSuccess: (res) =>
          setCreated({
            revealId: res.revealId,
            keyName: res.key.name,
            preview: res.key.key_preview,
            scopes: res.key.scopes,
            expiresAt: res.key.expires_at
          }),
        onError: (err) => {
          // Outside policy: the rule goes on its field, and the waiver is offered.
          const onField = policyFieldError(appErrorOf(err), {
            policy,
            environment: tenant.environment,
            subject: { scopes: key.scopes, expiresAt: key.expires_at ? Date.parse(key.expires_at) : null, ownAdmin: false }
          })
          if (!onField) return showServerError(err)
          form.setError(onField.field, { type: 'server', message: onField.message }, { shouldFocus: true })
          setWaiver((v) => ({ ...v, on: true }))
        }
      }
    )
  })
  const scopeError = scopesError(errors)
  const scopesErrorId = scopeError ? `${id}-scopes-error` : undefined

  return (
    <Dialog title="Create API key" tenant={tenant} onClose={close} wide>
      <FormProvider {...form}>
        {/* Editing after a refused create starts over: the old error no longer describes the form. */}
        <form className="form" onSubmit={submit} onChange={() => create.error && create.reset()} noValidate aria-busy={create.isPending}>
          {prod && (
            <p className="callout callout-danger" style={{ margin: 0 }}>
              This key is created in <strong>{tenant.label}</strong>, a <strong>PRODUCTION</strong> tenant.
            </p>
          )}
          <PolicyLimits environment={tenant.environment} />
          <KeyNameField label="Name" hint="Up to 100 characters, e.g. the service that will use it." />

          <Controller
            control={control}
            name="scopes"
            render={({ field }) => {
              const chosen = field.value as Scope[]
              const toggle = (scope: Scope, on: boolean) => field.onChange(orderedScopes(on ? [...chosen, scope] : chosen.filter((x) => x !== scope)))
              return (
                <>
                  <div className="field">
                    <span id={`${id}-presets-label`}>Presets</span>
                    <div role="group" aria-labelledby={`${id}-presets-label`} style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
                      {scopePresets.map((p) => (
                        <button
                          key={p.id}
                          type="button"
                          className="chip-toggle"
                          aria-pressed={matchesPreset(p, chosen)}
                          title={`${p.description} (${p.scopes.join(', ')})`}
                          onClick={() => field.onChange(orderedScopes(p.scopes))}
                        >
                          {p.label}
                        </button>
                      ))}
                    </div>
                  </div>
                  <fieldset
                    ref={field.ref}
                    id={`${id}-scopes`}
                    tabIndex={-1}
                    className="field"
                    aria-invalid={scopeError ? true : undefined}
                    aria-describedby={scopesErrorId}
                    style={{ border: 0, padding: 0, margin: 0 }}
                  >
                    <legend>Scopes</legend>
                    <div className="scope-grid">
                      {SCOPE_AREAS.map((area) => (
                        <fieldset key={area} className="scope-area">
                          <legend>{area}</legend>
                          {SCOPES.filter((s) => SCOPE_INFO[s].area === area).map((s) => (
                            <label key={s} className="scope-option">
                              <input
                                type="checkbox"
                                checked={chosen.includes(s)}
                                onChange={(e) => toggle(s, e.target.checked)}
                                aria-labelledby={`${id}-scope-${s}`}
                                aria-describedby={`${id}-hint-${s}`}
                              />
                              <code id={`${id}-scope-${s}`}>{s}</code>
                              <span className="hint" id={`${id}-hint-${s}`}>
                                {SCOPE_INFO[s].description}
                              </span>
                            </label>
                          ))}
                        </fieldset>
                      ))}
                    </div>
                    {scopeError && (
                      <span className="field-error" id={`${id}-scopes-error`}>
                        {scopeError}
                      </span>
                    )}
                  </fieldset>
                </>
              )
            }}
          />

          <div role="status" className={privileged.length > 0 ? 'callout callout-warn' : undefined}>
            {privileged.length > 0 && (
              <>
                <strong>Least privilege:</strong> {privileged.join(' and ')} {privileged.length > 1 ? 'are' : 'is'} privileged.
                {privileged.includes('api-keys:admin') && ' A key with api-keys:admin can create and revoke other keys, including wider ones.'}
                {privileged.includes('audit:admin') && ' A key with audit:admin can administer the audit log.'} Tick only what this key&apos;s service
                needs.
              </>
            )}
          </div>

          <ExpiryField />
          {(limited || waiver.on) && <WaiverFields value={waiver} onChange={setWaiver} disabled={create.isPending} showMissing={waiverTried} />}

          <WriteBlocked id={`${id}-blocked`} reason={blocked} />
          <ErrorCallout error={create.error} context={{ tenantLabel: tenant.label, fieldsShown }} />
          <ConfirmWrite
            verb="Create key"
            tenants={tenant}
            danger={prod}
            ready={!blocked}
            pending={create.isPending}
            pendingLabel="Creating…"
            onCancel={close}
            describedBy={blocked ? `${id}-blocked` : undefined}
          />
        </form>
      </FormProvider>
    </Dialog>
  )
}
