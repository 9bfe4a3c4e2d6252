import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { Environment, TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { ErrorCallout } from '../components/ErrorCallout'
import { api, appErrorOf, unwrap } from '../lib/api'
import { qk } from '../lib/queries'
import { useUi } from '../lib/store'
import { EnvironmentSelect, Field } from './TenantFields'

export function EditTenantDialog({ tenant }: { tenant: TenantView }) {
  const close = useUi((s) => s.closeDialog)
  const openDialog = useUi((s) => s.openDialog)
  const qc = useQueryClient()
  const [label, setLabel] = useState(tenant.label)
  const [environment, setEnvironment] = useState<Environment>(tenant.environment)
  const [color, setColor] = useState(tenant.color)
  const [adminKey, setAdminKey] = useState('')
  const update = useMutation({
    // May carry a replacement admin key: not kept in React Query's cache after use.
    gcTime: 0,
    mutationFn: async () =>
      unwrap(
        await api().tenants.update({
          tenant: tenant.id,
          label: label !== tenant.label ? label : undefined,
          environment: environment !== tenant.environment ? environment : undefined,
          color: color !== tenant.color ? color : undefined,
          adminKey: adminKey ? adminKey : undefined
        })
      ),
    onSuccess: () => {
      setAdminKey('')
      void qc.invalidateQueries({ queryKey: qk.tenants })
      void qc.invalidateQueries({ queryKey: ['tenant', tenant.id] })
      close()
    }
  })
  const error = update.error ? appErrorOf(update.error) : null
  const fields = error?.fields ?? {}
  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate()
  }
  return (
    <Dialog title="Tenant settings" onClose={close}>
      <form className="form" onSubmit={submit} noValidate>
        <p className="muted">
          Tenant ID <code>{tenant.tenantId}</code> at <code>{tenant.baseUrl}</code>. Admin key <code>{tenant.adminKeyPreview ?? 'unknown'}</code>.
        </p>
        <Field id="e-label" label="Label" error={fields.label}>
          {(a) => <input {...a} type="text" value={label} onChange={(e) => setLabel(e.target.value)} autoFocus />}
        </Field>
        <Field id="e-env" label="Environment">
          {(a) => <EnvironmentSelect id={a.id} value={environment} onChange={setEnvironment} />}
        </Field>
        <Field id="e-color" label="Color">
          {(a) => <input {...a} type="color" value={color} onChange={(e) => setColor(e.target.value)} />}
        </Field>
        <Field id="e-key" label="Replace admin key" error={fields.adminKey} hint="Leave empty to keep the current key. A new key is verified before it replaces the old one.">
          {(a) => <input {...a} type="password" value={adminKey} onChange={(e) => setAdminKey(e.target.value)} autoComplete="off" />}
        </Field>
        <ErrorCallout error={error} />
        <div className="form-actions">
          <button type="button" className="button danger" onClick={() => openDialog({ kind: 'remove-tenant', tenantId: tenant.id })}>
            Remove tenant…
          </button>
          <span className="spacer" />
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
