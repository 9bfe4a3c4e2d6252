import { useState, type FormEvent } from 'react'
import { DEFAULT_BASE_URL, type Environment } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { ErrorCallout } from '../components/ErrorCallout'
import { appErrorOf } from '../lib/api'
import { useAddTenant } from '../lib/queries'
import { useUi } from '../lib/store'
import { defaultColor, EnvironmentSelect, Field } from './TenantFields'

/** Add a tenant: its admin key is checked with one real call before it reaches the keychain. */
export function AddTenantDialog({ onAdded }: { onAdded: (id: string) => void }) {
  const close = useUi((s) => s.closeDialog)
  const add = useAddTenant()
  const [label, setLabel] = useState('')
  const [baseUrl, setBaseUrl] = useState(DEFAULT_BASE_URL)
  const [tenantId, setTenantId] = useState('')
  const [adminKey, setAdminKey] = useState('')
  const [environment, setEnvironment] = useState<Environment>('staging')
  const [color, setColor] = useState<string | null>(null)
  const error = add.error ? appErrorOf(add.error) : null
  const fields = error?.fields ?? {}
  const offline = error?.code === 'OFFLINE' || error?.code === 'TIMEOUT'

  const submit = (skipVerify: boolean) => (e?: FormEvent) => {
    e?.preventDefault()
    add.mutate(
      { label, baseUrl, tenantId: tenantId.trim(), adminKey, environment, color: color ?? undefined, skipVerify },
      {
        onSuccess: (t) => {
          // The key now lives in the keychain only; drop our copy before anything else.
          setAdminKey('')
          close()
          onAdded(t.id)
        }
      }
    )
  }

  return (
    <Dialog title="Add tenant" onClose={close}>
      <form className="form" onSubmit={submit(false)} noValidate>
        <Field id="t-label" label="Label" error={fields.label} hint="How this tenant appears in KeyDesk, e.g. acme-prod">
          {(a) => <input {...a} type="text" value={label} onChange={(e) => setLabel(e.target.value)} autoFocus required />}
        </Field>
        <Field id="t-env" label="Environment" hint="Production tenants get a red PRODUCTION marker and extra confirmations">
          {(a) => (
            <EnvironmentSelect
              id={a.id}
              value={environment}
              onChange={(env) => {
                setEnvironment(env)
                setColor(null)
              }}
            />
          )}
        </Field>
        <Field id="t-url" label="Base URL" error={fields.baseUrl} hint="https only; plain http is allowed for 127.0.0.1/localhost">
          {(a) => <input {...a} type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} spellCheck={false} />}
        </Field>
        <Field id="t-id" label="Tenant ID" error={fields.tenantId} hint="The tenant's UUID (the X-MeshQu-Tenant-Id header)">
          {(a) => <input {...a} type="text" value={tenantId} onChange={(e) => setTenantId(e.target.value)} spellCheck={false} placeholder="123e4567-e89b-12d3-a456-426614174000" />}
        </Field>
        <Field id="t-key" label="Admin key" error={fields.adminKey} hint="Needs api-keys:admin. Stored in the OS keychain, never shown again.">
          {(a) => <input {...a} type="password" value={adminKey} onChange={(e) => setAdminKey(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field id="t-color" label="Color">
          {(a) => <input {...a} type="color" value={color ?? defaultColor(environment)} onChange={(e) => setColor(e.target.value)} />}
        </Field>
        <ErrorCallout error={error} />
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          {offline && (
            <button type="button" className="button" onClick={submit(true)} disabled={add.isPending}>
              Save without verifying
            </button>
          )}
          <button type="submit" className="button primary" disabled={add.isPending}>
            {add.isPending ? 'Verifying…' : 'Verify and save'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
