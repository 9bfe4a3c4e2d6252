import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { SCOPE_AREAS, SCOPE_INFO, SCOPES, type Scope } from '../../../shared/scopes'
import type { TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { api, appErrorOf, unwrap } from '../lib/api'
import { expiryFrom, formFieldErrors, SCOPE_PRESETS, validateCreate, type ExpiryPreset } from '../lib/create-key'
import { describeError } from '../lib/errors'
import { upsertKey } from '../lib/queries'
import { useUi } from '../lib/store'
import { CopyOnceDialog } from './CopyOnce'
import { ExpiryField } from './ExpiryField'

/** Scope checkboxes grouped by area, each with MeshQu's description. */
export function ScopePicker({ value, onChange, error }: { value: Scope[]; onChange: (s: Scope[]) => void; error?: string }) {
  const toggle = (s: Scope) => onChange(value.includes(s) ? value.filter((x) => x !== s) : SCOPES.filter((x) => x === s || value.includes(x)))
  return (
    <div className="field">
      <span>Scopes</span>
      <div className="status-filters" role="group" aria-label="Scope presets">
        {SCOPE_PRESETS.map((p) => (
          <button key={p.id} type="button" className="chip-toggle" title={p.description} onClick={() => onChange([...p.scopes])}>
            {p.label}
          </button>
        ))}
      </div>
      <div className="scope-grid">
        {SCOPE_AREAS.map((area) => (
          <fieldset key={area} className="scope-area">
            <legend>{area}</legend>
            {SCOPES.filter((s) => SCOPE_INFO[s].area === area).map((s) => (
              <label key={s} className="scope-option">
                <input type="checkbox" checked={value.includes(s)} onChange={() => toggle(s)} aria-describedby={`scope-${s.replace(':', '-')}`} />
                <code>{s}</code>
                <span id={`scope-${s.replace(':', '-')}`} className="hint">
                  {SCOPE_INFO[s].description}
                </span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
      {value.some((s) => SCOPE_INFO[s].privileged) && (
        <p className="callout callout-warn" role="status">
          Least privilege: {value.filter((s) => SCOPE_INFO[s].privileged).join(' and ')} lets this key manage keys or the audit log itself. Give it
          only to a service that must; one that only evaluates decisions needs decisions:evaluate.
        </p>
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  )
}

export function CreateKeyDialog({ tenant }: { tenant: TenantView }) {
  const close = useUi((s) => s.closeDialog)
  const qc = useQueryClient()
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Scope[]>([])
  const [preset, setPreset] = useState<ExpiryPreset>('90d')
  const [date, setDate] = useState('')
  const [local, setLocal] = useState<Record<string, string>>({})
  const create = useMutation({
    mutationFn: async (expires_at: string | null) => unwrap(await api().keys.create({ tenant: tenant.id, key: { name: name.trim(), scopes, expires_at } })),
    onSuccess: (res) => upsertKey(qc, tenant.id, res.key)
  })
  const prod = tenant.environment === 'production'

  if (create.data) {
    return <CopyOnceDialog keyName={create.data.key.name} preview={create.data.key.key_preview} revealId={create.data.revealId} onDone={close} />
  }

  const serverError = create.error ? appErrorOf(create.error) : null
  const errors = { ...formFieldErrors(serverError?.fields), ...local }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const now = Date.now()
    const expires = expiryFrom(preset, now, date)
    const found = validateCreate(name, scopes, expires, now)
    setLocal(found)
    if (Object.keys(found).length === 0) create.mutate(expires ?? null)
  }

  return (
    <Dialog title="Create API key" onClose={close} wide>
      <form className="form" onSubmit={submit} noValidate>
        <p className="muted">
          New key for <strong>{tenant.label}</strong>
          {prod ? ' — a PRODUCTION tenant' : ''}.
        </p>
        <label className="field">
          <span>Name</span>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoFocus aria-invalid={!!errors.name} placeholder="trade-service-prod" />
          {errors.name && <span className="field-error">{errors.name}</span>}
        </label>
        <ScopePicker value={scopes} onChange={setScopes} error={errors.scopes} />
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
          <button type="submit" className={`button ${prod ? 'danger' : 'primary'}`} disabled={create.isPending}>
            {create.isPending ? 'Creating…' : prod ? 'Create key in PRODUCTION' : 'Create key'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
