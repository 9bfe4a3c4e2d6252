import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { SCOPE_AREAS, SCOPE_INFO, SCOPES, type Scope } from '../../../shared/scopes'
import type { TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { ErrorCallout } from '../components/ErrorCallout'
import { api, appErrorOf, unwrap } from '../lib/api'
import { upsertKey } from '../lib/queries'
import { useUi } from '../lib/store'
import { CopyOnceDialog } from './CopyOnceDialog'
import {
  DEFAULT_EXPIRY,
  expiryFrom,
  expiryPresets,
  fieldErrorsFromReply,
  matchesPreset,
  minExpiryDate,
  orderedScopes,
  privilegedScopes,
  scopePresets,
  validateCreate,
  type ExpiryPresetId,
  type FieldErrors
} from './scope-presets'

/** The expiry radio group shared by the create and rotate dialogs. */
export function ExpiryChoice({
  preset,
  date,
  onPreset,
  onDate,
  error
}: {
  preset: ExpiryPresetId
  date: string
  onPreset: (p: ExpiryPresetId) => void
  onDate: (d: string) => void
  error?: string
}) {
  const id = useId()
  const [minDate] = useState(() => minExpiryDate(Date.now()))
  return (
    <fieldset className="field" aria-describedby={error ? `${id}-error` : undefined} style={{ border: 0, padding: 0, margin: 0 }}>
      <legend>Expires</legend>
      <div role="radiogroup" aria-label="Expires" style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 14px' }}>
        {expiryPresets.map((p) => (
          <label key={p.id} style={{ display: 'flex', gap: 6, alignItems: 'center', whiteSpace: 'nowrap' }}>
            <input
              type="radio"
              name={`${id}-expiry`}
              value={p.id}
              checked={preset === p.id}
              onChange={() => onPreset(p.id)}
              style={{ width: 'auto', margin: 0 }}
            />
            <span>{p.label}</span>
          </label>
        ))}
      </div>
      {preset === 'date' && (
        <label className="field">
          <span>Expiry date</span>
          <input
            type="date"
            value={date}
            min={minDate}
            onChange={(e) => onDate(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-date-hint`}
          />
          <span className="hint" id={`${id}-date-hint`}>
            The key works until the end of that day (23:59:59 UTC).
          </span>
        </label>
      )}
      {preset === 'never' && (
        <p className="callout callout-warn" role="status" style={{ margin: 0 }}>
          A key without an expiry lives until it is revoked. Prefer an expiry and rotate before it.
        </p>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </fieldset>
  )
}

interface Created {
  revealId: string
  keyName: string
  preview: string
}

export function CreateKeyDialog({ tenant }: { tenant: TenantView }) {
  const close = useUi((s) => s.closeDialog)
  const qc = useQueryClient()
  const id = useId()
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Scope[]>([])
  const [preset, setPreset] = useState<ExpiryPresetId>(DEFAULT_EXPIRY)
  const [date, setDate] = useState('')
  const [local, setLocal] = useState<FieldErrors>({})
  const [created, setCreated] = useState<Created | null>(null)
  const prod = tenant.environment === 'production'
  const nameRef = useRef<HTMLInputElement>(null)
  // Dialog focuses its first focusable (the × button); start on the name field instead.
  useEffect(() => {
    if (!created) nameRef.current?.focus()
  }, [created])

  const create = useMutation({
    mutationFn: async (key: { name: string; scopes: Scope[]; expires_at: string | null }) => unwrap(await api().keys.create({ tenant: tenant.id, key })),
    onSuccess: (res) => {
      upsertKey(qc, tenant.id, res.key)
      setCreated({ revealId: res.revealId, keyName: res.key.name, preview: res.key.key_preview })
    }
  })

  if (created) {
    return <CopyOnceDialog tenant={tenant} keyName={created.keyName} preview={created.preview} revealId={created.revealId} onDone={close} />
  }

  const serverError = create.error ? appErrorOf(create.error) : null
  const errors: FieldErrors = { ...fieldErrorsFromReply(serverError?.fields), ...local }
  const privileged = privilegedScopes(scopes)

  const clearError = (field: keyof FieldErrors) => {
    if (local[field])
      setLocal((l) => {
        const next = { ...l }
        delete next[field]
        return next
      })
    if (create.error) create.reset()
  }
  const toggle = (scope: Scope, on: boolean) => {
    setScopes((s) => orderedScopes(on ? [...s, scope] : s.filter((x) => x !== scope)))
    clearError('scopes')
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (create.isPending) return
    const now = Date.now()
    const expires = expiryFrom(preset, now, date)
    const found = validateCreate(name, scopes, expires, now)
    setLocal(found)
    if (Object.keys(found).length > 0) {
      const first = (['name', 'scopes', 'expires_at'] as const).find((f) => found[f])
      document.getElementById(`${id}-${first}`)?.focus()
      return
    }
    create.mutate({ name: name.trim(), scopes, expires_at: expires ?? null })
  }

  const errorId = (f: keyof FieldErrors) => (errors[f] ? `${id}-${f}-error` : undefined)

  return (
    <Dialog title="Create API key" onClose={close} wide>
      <form className="form" onSubmit={submit} noValidate aria-busy={create.isPending}>
        {prod && (
          <p className="callout callout-danger" style={{ margin: 0 }}>
            This key is created in <strong>{tenant.label}</strong>, a <strong>PRODUCTION</strong> tenant.
          </p>
        )}
        <label className="field">
          <span>Name</span>
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
            aria-describedby={[`${id}-name-hint`, errorId('name')].filter(Boolean).join(' ')}
            onChange={(e) => {
              setName(e.target.value)
              clearError('name')
            }}
          />
          <span className="hint" id={`${id}-name-hint`}>
            Up to 100 characters, e.g. the service that will use it.
          </span>
          {errors.name && (
            <span className="field-error" id={`${id}-name-error`}>
              {errors.name}
            </span>
          )}
        </label>

        <div className="field">
          <span id={`${id}-presets-label`}>Presets</span>
          <div role="group" aria-labelledby={`${id}-presets-label`} style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
            {scopePresets.map((p) => (
              <button
                key={p.id}
                type="button"
                className="chip-toggle"
                aria-pressed={matchesPreset(p, scopes)}
                title={`${p.description} (${p.scopes.join(', ')})`}
                onClick={() => {
                  setScopes(orderedScopes(p.scopes))
                  clearError('scopes')
                }}
              >
                {p.label}
              </button>
            ))}
          </div>
        </div>

        <fieldset
          id={`${id}-scopes`}
          tabIndex={-1}
          className="field"
          aria-invalid={errors.scopes ? true : undefined}
          aria-describedby={errorId('scopes')}
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
                      checked={scopes.includes(s)}
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
          {errors.scopes && (
            <span className="field-error" id={`${id}-scopes-error`}>
              {errors.scopes}
            </span>
          )}
        </fieldset>

        <div role="status" className={privileged.length > 0 ? 'callout callout-warn' : undefined}>
          {privileged.length > 0 && (
            <>
              <strong>Least privilege:</strong> {privileged.join(' and ')} {privileged.length > 1 ? 'are' : 'is'} privileged.
              {privileged.includes('api-keys:admin') && ' A key with api-keys:admin can create and revoke other keys, including wider ones.'}
              {privileged.includes('audit:admin') && ' A key with audit:admin can administer the audit log.'} Tick only what this key's service needs.
            </>
          )}
        </div>

        <div id={`${id}-expires_at`} tabIndex={-1}>
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
        </div>

        <ErrorCallout error={serverError} />
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className={`button ${prod ? 'danger' : 'primary'}`} disabled={create.isPending}>
            {prod ? 'Create key in PRODUCTION' : 'Create key'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
