import type { BaseSyntheticEvent } from 'react'
import { useWatch } from 'react-hook-form'
import { DEFAULT_BASE_URL, DEFAULT_LEVELS, type ProtectionLevel } from '../../../../shared/tenants'
import { LEVEL_HINT, LevelSelect } from '../protection'
import { appErrorOf } from '../../lib/api'
import { useSchemaForm } from '../../lib/schema-form'
import { useUi } from '../../lib/store'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { FormSummary } from '../../ui/FormSummary'
import { useAddTenant } from './queries'
import { addTenantFieldOf, AddTenantFormSchema } from './tenant-form'
import { defaultColor, EnvironmentSelect } from './TenantFields'
import { useCancellableVerification } from './verification'
import { FormActions } from '../../ui/FormActions'

const ADD_LABELS = { label: 'Label', baseUrl: 'Base URL', tenantId: 'Tenant ID', adminKey: 'Admin key', color: 'Color' }

/** Add a tenant: its admin key is checked with one real call before it reaches the keychain. */
export function AddTenantDialog({ onAdded }: { onAdded: (id: string) => void }) {
  const close = useUi((s) => s.closeDialog)
  const add = useAddTenant()
  const verification = useCancellableVerification()
  const { form, showServerError } = useSchemaForm(
    AddTenantFormSchema,
    { label: '', environment: 'staging', baseUrl: DEFAULT_BASE_URL, tenantId: '', adminKey: '', color: undefined, level: undefined },
    addTenantFieldOf
  )
  const { register, handleSubmit, setValue, setFocus, control, formState } = form
  const errors = formState.errors
  const environment = useWatch({ control, name: 'environment' })
  // No color picked yet: the environment's own (it follows the environment until one is picked).
  const color = useWatch({ control, name: 'color' }) ?? defaultColor(environment)
  // Likewise the protection level: the environment's default until one is picked.
  const level = useWatch({ control, name: 'level' }) ?? DEFAULT_LEVELS[environment]
  const error = add.error ? appErrorOf(add.error) : null
  // Unreachable (never sent or timed out): the key can be saved unverified, on the operator's word.
  const offline = error?.code === 'OFFLINE' || error?.code === 'TIMEOUT'

  // A new attempt drops the last attempt's alert first, so an old server error never sits beside
  // a new field error.
  const submit = (skipVerify: boolean) => (e?: BaseSyntheticEvent) => {
    add.reset()
    return attempt(skipVerify)(e)
  }
  const attempt = (skipVerify: boolean) =>
    handleSubmit((values) =>
      add.mutate(
        { ...values, skipVerify, verifyId: verification.start() },
        {
          onSuccess: (t) => {
            // The key now lives in the keychain only; drop the form's copy before anything else.
            form.reset()
            close()
            onAdded(t.id)
          },
          onError: (err) => {
            showServerError(err)
            // Cancelled: back on the form, values kept, at the field a host that never answers
            // most likely needs (the button that had focus turned back into plain Cancel).
            if (appErrorOf(err).code === 'CANCELLED') setFocus('baseUrl')
          },
          onSettled: verification.settled
        }
      )
    )

  const envField = register('environment')
  return (
    <Dialog title="Add tenant" onClose={close}>
      <form className="form" onSubmit={submit(false)} noValidate>
        <Field id="t-label" label="Label" error={errors.label?.message} hint="How this tenant appears in KeyDesk, e.g. acme-prod">
          {(a) => <input {...a} type="text" {...register('label')} autoFocus required />}
        </Field>
        <Field id="t-env" label="Environment" hint="Production tenants get a red PRODUCTION marker and extra confirmations">
          {(a) => (
            <EnvironmentSelect
              id={a.id}
              {...envField}
              onChange={(e) => {
                setValue('color', undefined)
                setValue('level', undefined)
                return envField.onChange(e)
              }}
            />
          )}
        </Field>
        <Field id="t-level" label="Protection level" hint={LEVEL_HINT[level]}>
          {(a) => (
            <LevelSelect
              id={a.id}
              aria-describedby={a['aria-describedby']}
              value={level}
              onChange={(e) => setValue('level', e.target.value as ProtectionLevel)}
            />
          )}
        </Field>
        <Field id="t-url" label="Base URL" error={errors.baseUrl?.message} hint="https only; plain http is allowed for 127.0.0.1/localhost">
          {(a) => <input {...a} type="url" {...register('baseUrl')} spellCheck={false} />}
        </Field>
        <Field id="t-id" label="Tenant ID" error={errors.tenantId?.message} hint="The tenant's UUID (the X-MeshQu-Tenant-Id header)">
          {(a) => <input {...a} type="text" {...register('tenantId')} spellCheck={false} placeholder="123e4567-e89b-12d3-a456-426614174000" />}
        </Field>
        <Field
          id="t-key"
          label="Admin key"
          error={errors.adminKey?.message}
          hint="Needs api-keys:admin. Stored in the OS keychain, never shown again."
        >
          {(a) => <input {...a} type="password" {...register('adminKey')} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field id="t-color" label="Color" error={errors.color?.message}>
          {(a) => <input {...a} type="color" value={color} onChange={(e) => setValue('color', e.target.value)} />}
        </Field>
        <FormSummary error={error} errors={errors} labels={ADD_LABELS} context={{ operation: 'verify' }} />
        {/* While verifying, Cancel stops the verification (in main too) and stays on the form. */}
        <FormActions onCancel={add.isPending ? verification.cancel : close}>
          {offline && (
            <button type="button" className="button" onClick={submit(true)} disabled={add.isPending}>
              Save without verifying
            </button>
          )}
          <button type="submit" className="button primary" disabled={add.isPending}>
            {verification.cancelling ? 'Stopping…' : add.isPending ? 'Verifying…' : 'Verify and save'}
          </button>
        </FormActions>
      </form>
    </Dialog>
  )
}
