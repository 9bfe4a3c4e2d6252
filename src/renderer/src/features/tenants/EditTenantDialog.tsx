import { useEffect, useRef, useState } from 'react'
import { useWatch } from 'react-hook-form'
import { DEFAULT_LEVELS, lowers, type TenantView } from '../../../../shared/tenants'
import { LEVEL_HINT, LEVEL_LABEL, LevelSelect } from '../protection'
import { REASON_MAX } from '../../../../shared/journal'
import { useSchemaForm } from '../../lib/schema-form'
import { useUi } from '../../lib/store'
import { TypeBackField } from '../../ui/ConfirmWrite'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { FormSummary } from '../../ui/FormSummary'
import { useUpdateTenant } from './queries'
import { editTenantFieldOf, EditTenantFormSchema } from './tenant-form'
import { EnvironmentSelect } from './TenantFields'
import { useCancellableVerification } from './verification'
import { appErrorOf } from '../../lib/api'
import { FormActions } from '../../ui/FormActions'

const EDIT_LABELS = { label: 'Label', baseUrl: 'Base URL', color: 'Color', adminKey: 'Replace admin key', level: 'Protection level' }

export function EditTenantDialog({ tenant }: { tenant: TenantView }) {
  const close = useUi((s) => s.closeDialog)
  const openDialog = useUi((s) => s.openDialog)
  const update = useUpdateTenant(tenant.id)
  const verification = useCancellableVerification()
  const { form, showServerError } = useSchemaForm(
    EditTenantFormSchema,
    { label: tenant.label, baseUrl: tenant.baseUrl, environment: tenant.environment, level: tenant.level, color: tenant.color, adminKey: '' },
    editTenantFieldOf
  )
  const { register, handleSubmit, setFocus, formState, control, setValue, getValues } = form
  const errors = formState.errors
  const environment = useWatch({ control, name: 'environment' })
  const level = useWatch({ control, name: 'level' })
  // A level still on its environment's default follows the environment; a chosen one stays.
  const lastEnv = useRef(tenant.environment)
  useEffect(() => {
    if (environment === lastEnv.current) return
    if (getValues('level') === DEFAULT_LEVELS[lastEnv.current]) setValue('level', DEFAULT_LEVELS[environment])
    lastEnv.current = environment
  }, [environment, getValues, setValue])
  // Leaving production or lowering the level drops safeguards: the label typed back and a reason (main checks too).
  const leaves = tenant.environment === 'production' && environment !== 'production'
  const lowered = lowers(tenant.level, level)
  const drops = leaves || lowered
  const [typed, setTyped] = useState('')
  const [reason, setReason] = useState('')
  const dropsReady = !drops || (typed === tenant.label && reason.trim() !== '')

  // Only what changed is sent: an untouched field never overwrites a concurrent edit.
  const submit = handleSubmit((v) =>
    update.mutate(
      {
        label: v.label !== tenant.label ? v.label : undefined,
        baseUrl: v.baseUrl !== tenant.baseUrl ? v.baseUrl : undefined,
        environment: v.environment !== tenant.environment ? v.environment : undefined,
        level: v.level !== tenant.level ? v.level : undefined,
        ...(drops ? { confirmLabel: typed, reason } : {}),
        color: v.color !== tenant.color ? v.color : undefined,
        adminKey: v.adminKey,
        verifyId: verification.start()
      },
      {
        onSuccess: () => {
          // The replacement key lives in the keychain only now.
          form.reset()
          close()
        },
        onError: (err) => {
          showServerError(err)
          // Cancelled: nothing was saved; back at the key whose verification was stopped.
          if (appErrorOf(err).code === 'CANCELLED')
            setFocus(v.adminKey !== undefined ? 'adminKey' : v.baseUrl !== tenant.baseUrl ? 'baseUrl' : 'label')
        },
        onSettled: verification.settled
      }
    )
  )
  return (
    <Dialog title="Tenant settings" onClose={close}>
      <form className="form" onSubmit={submit} noValidate>
        <p className="muted">
          Tenant ID <code>{tenant.tenantId}</code> at <code>{tenant.baseUrl}</code>. Admin key <code>{tenant.adminKeyPreview ?? 'unknown'}</code>.
        </p>
        <Field id="e-label" label="Label" error={errors.label?.message}>
          {(a) => <input {...a} type="text" {...register('label')} autoFocus />}
        </Field>
        <Field
          id="e-url"
          label="Base URL"
          error={errors.baseUrl?.message}
          hint="A new base URL is verified with the admin key (the current one, or the one below) before it is saved."
        >
          {(a) => <input {...a} type="url" {...register('baseUrl')} spellCheck={false} />}
        </Field>
        <Field id="e-env" label="Environment">
          {(a) => <EnvironmentSelect id={a.id} {...register('environment')} />}
        </Field>
        <Field id="e-level" label="Protection level" error={errors.level?.message} hint={LEVEL_HINT[level]}>
          {(a) => <LevelSelect id={a.id} aria-describedby={a['aria-describedby']} {...register('level')} />}
        </Field>
        {drops && (
          <div className="callout callout-danger drops-safeguards">
            <p>
              {leaves ? `${tenant.label} would no longer be a production tenant` : `${tenant.label} would be ${LEVEL_LABEL[level]}`}
              {leaves && lowered ? ` and ${LEVEL_LABEL[level]}` : ''}: its safeguards go with it. Type its label and give a reason; both are kept in
              the journal.
            </p>
            <TypeBackField label="Type the tenant label to confirm" value={typed} onChange={setTyped} placeholder={tenant.label} />
            <label className="field">
              <span>
                Reason <strong>(required)</strong>
              </span>
              <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={REASON_MAX} autoComplete="off" aria-required />
            </label>
          </div>
        )}
        <Field id="e-color" label="Color" error={errors.color?.message}>
          {(a) => <input {...a} type="color" {...register('color')} />}
        </Field>
        <Field
          id="e-key"
          label="Replace admin key"
          error={errors.adminKey?.message}
          hint="Leave empty to keep the current key. A new key is verified before it replaces the old one."
        >
          {(a) => <input {...a} type="password" {...register('adminKey')} autoComplete="off" />}
        </Field>
        <FormSummary error={update.error} errors={errors} labels={EDIT_LABELS} context={{ tenantLabel: tenant.label }} />
        {/* While saving (verifying a new admin key), Cancel stops it in main too and stays on the form. */}
        <FormActions
          onCancel={update.isPending ? verification.cancel : close}
          start={
            <button type="button" className="button danger" onClick={() => openDialog({ kind: 'remove-tenant', tenantId: tenant.id })}>
              Remove tenant…
            </button>
          }
        >
          <button type="submit" className="button primary" disabled={update.isPending || !dropsReady}>
            {verification.cancelling ? 'Stopping…' : update.isPending ? 'Saving…' : 'Save'}
          </button>
        </FormActions>
      </form>
    </Dialog>
  )
}
