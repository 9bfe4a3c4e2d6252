import { useId, useRef, useState, type FormEvent } from 'react'
import { DEFAULT_POLICY, FleetPolicySchema, POLICY_MAX_DAYS, type FleetPolicy, type PolicyChange } from '../../../../shared/policy'
import { SCOPE_PRESETS, type ScopePresetId } from '../../../../shared/scope-presets'
import { SCOPES, type Scope } from '../../../../shared/scopes'
import { ENVIRONMENTS, type Environment } from '../../../../shared/tenants'
import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { downloadText } from '../../lib/save-file'
import { SettingsActions } from '../../ui/SettingsActions'
import { EnvBadge } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { useExportPolicy, useImportPolicy, usePolicy, usePreviewPolicyImport, useSavePolicy, useSavePolicyFile } from './queries'

const ENV_LABEL: Record<Environment, string> = { production: 'Production', staging: 'Staging', development: 'Development', sandbox: 'Sandbox' }
const RULE_LABEL: Record<PolicyChange['rule'], string> = {
  maxExpiryDays: 'Maximum expiry',
  expiryRequired: 'Expiry required',
  forbiddenScopes: 'Forbidden scopes',
  allowedPresets: 'Allowed presets'
}

/** Radar settings → Policy: the fleet policy per environment, with export and import. */
export function PolicyPanel({ onDone }: { onDone: () => void }) {
  const policy = usePolicy()
  if (policy.isPending) return <p role="status">Reading the policy…</p>
  if (!policy.data) return <ErrorCallout error={policy.error} />
  return <PolicyForm saved={policy.data} onDone={onDone} />
}

function PolicyForm({ saved, onDone }: { saved: FleetPolicy; onDone: () => void }) {
  const id = useId()
  const [draft, setDraft] = useState<FleetPolicy>(saved)
  // Maximum expiry as typed (blank = no maximum), checked on Save.
  const [maxText, setMaxText] = useState<Record<Environment, string>>(
    () => Object.fromEntries(ENVIRONMENTS.map((e) => [e, saved[e].maxExpiryDays?.toString() ?? ''])) as Record<Environment, string>
  )
  const [env, setEnv] = useState<Environment>('production')
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({})
  const save = useSavePolicy()
  const rules = draft[env]
  const set = (patch: Partial<FleetPolicy[Environment]>) => setDraft((d) => ({ ...d, [env]: { ...d[env], ...patch } }))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const candidate = Object.fromEntries(
      ENVIRONMENTS.map((x) => [x, { ...draft[x], maxExpiryDays: maxText[x].trim() === '' ? null : Number(maxText[x].trim()) }])
    )
    const parsed = FleetPolicySchema.safeParse(candidate)
    if (!parsed.success) {
      const out: Record<string, string> = {}
      for (const issue of parsed.error.issues) out[issue.path.map(String).join('.')] ??= issue.message
      setErrors(out)
      // Show the first environment with an error.
      const first = ENVIRONMENTS.find((x) => Object.keys(out).some((k) => k.startsWith(`${x}.`)))
      if (first) setEnv(first)
      return
    }
    setErrors({})
    save.mutate(parsed.data, { onSuccess: onDone })
  }
  const restoreDefaults = () => {
    setDraft(DEFAULT_POLICY)
    setMaxText(Object.fromEntries(ENVIRONMENTS.map((e) => [e, DEFAULT_POLICY[e].maxExpiryDays?.toString() ?? ''])) as Record<Environment, string>)
  }
  const maxError = errors[`${env}.maxExpiryDays`]
  const presetsError = errors[`${env}.allowedPresets`]

  return (
    <div className="form">
      <form className="form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
        <p className="muted" id={`${id}-title`} style={{ margin: 0 }}>
          What a key may be, per environment. Create and rotate follow it: KeyDesk refuses a key outside it unless a waiver (a reason, at most 30
          days) lets it through. The radar counts every live key that breaks it as <strong>Outside policy</strong>. KeyDesk&apos;s own admin key is
          spared the scope rules.
        </p>
        <label className="field" style={{ maxWidth: '16rem' }}>
          <span>Environment</span>
          <select value={env} onChange={(e) => setEnv(e.target.value as Environment)}>
            {ENVIRONMENTS.map((x) => (
              <option key={x} value={x}>
                {ENV_LABEL[x]}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field policy-env" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend>
            <EnvBadge env={env} /> policy
          </legend>
          <label className="field" style={{ maxWidth: '16rem' }}>
            <span>Maximum expiry (days)</span>
            <input
              type="number"
              inputMode="numeric"
              min={1}
              max={POLICY_MAX_DAYS}
              step={1}
              value={maxText[env]}
              onChange={(e) => setMaxText((m) => ({ ...m, [env]: e.target.value }))}
              aria-invalid={maxError ? true : undefined}
              aria-describedby={maxError ? `${id}-max-error` : `${id}-max-hint`}
              disabled={save.isPending}
            />
            {maxError ? (
              <span className="field-error" id={`${id}-max-error`}>
                {maxError}
              </span>
            ) : (
              <span className="hint" id={`${id}-max-hint`}>
                Blank for no maximum.
              </span>
            )}
          </label>
          <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <input
              type="checkbox"
              checked={rules.expiryRequired}
              onChange={(e) => set({ expiryRequired: e.target.checked })}
              disabled={save.isPending}
              style={{ width: 'auto', margin: 0 }}
            />
            <span>Expiry required</span>
          </label>
          <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend>Forbidden scopes</legend>
            <div className="policy-options">
              {SCOPES.map((s) => (
                <label key={s} className="scope-option">
                  <input
                    type="checkbox"
                    checked={rules.forbiddenScopes.includes(s)}
                    disabled={save.isPending}
                    onChange={(e) =>
                      set({ forbiddenScopes: SCOPES.filter((x: Scope) => (x === s ? e.target.checked : rules.forbiddenScopes.includes(x))) })
                    }
                  />
                  <code>{s}</code>
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset
            className="field"
            style={{ border: 0, padding: 0, margin: 0 }}
            aria-describedby={presetsError ? `${id}-presets-error` : undefined}
          >
            <legend>Allowed presets</legend>
            <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <input
                type="checkbox"
                checked={rules.allowedPresets === null}
                disabled={save.isPending}
                onChange={(e) => set({ allowedPresets: e.target.checked ? null : SCOPE_PRESETS.map((p) => p.id) })}
                style={{ width: 'auto', margin: 0 }}
              />
              <span>Any scopes (no preset rule)</span>
            </label>
            {rules.allowedPresets !== null && (
              <div className="policy-options">
                {SCOPE_PRESETS.map((p) => (
                  <label key={p.id} className="scope-option">
                    <input
                      type="checkbox"
                      checked={rules.allowedPresets!.includes(p.id)}
                      disabled={save.isPending}
                      onChange={(e) =>
                        set({
                          allowedPresets: SCOPE_PRESETS.map((x) => x.id).filter((x: ScopePresetId) =>
                            x === p.id ? e.target.checked : rules.allowedPresets!.includes(x)
                          )
                        })
                      }
                    />
                    <span>{p.label}</span>
                  </label>
                ))}
              </div>
            )}
            {presetsError && (
              <span className="field-error" id={`${id}-presets-error`}>
                {presetsError}
              </span>
            )}
          </fieldset>
        </fieldset>
        <ErrorCallout error={save.error} />
        <SettingsActions onRestore={restoreDefaults} onCancel={onDone} saving={save.isPending} saveLabel="Save policy" />
      </form>
      <PolicyTransfer onImported={onDone} />
    </div>
  )
}

/** Export the policy to JSON; import one, with what it changes shown before it applies. */
function PolicyTransfer({ onImported }: { onImported: () => void }) {
  const id = useId()
  const fileRef = useRef<HTMLInputElement>(null)
  const exporter = useExportPolicy()
  const saveFile = useSavePolicyFile()
  const preview = usePreviewPolicyImport()
  const importer = useImportPolicy()
  const [text, setText] = useState<string | null>(null)
  const [fileName, setFileName] = useState('')
  const [note, setNote] = useState<string | null>(null)

  const exportPolicy = async () => {
    setNote(null)
    const out = await exporter.mutateAsync().catch(() => null)
    if (!out) return
    try {
      const saved = await saveFile.mutateAsync(out)
      setNote(saved.saved ? `Saved the policy to ${saved.path}` : null)
    } catch (err) {
      const error = appErrorOf(err)
      if (error.code !== 'READ_ONLY') return setNote(describeError(error))
      downloadText(out.suggestedName, 'application/json', out.content)
      setNote(`Downloaded the policy as ${out.suggestedName}`)
    }
  }
  const pick = async (file: File | undefined) => {
    importer.reset()
    setNote(null)
    if (!file) return
    const content = await file.text()
    setFileName(file.name)
    setText(content)
    preview.mutate(content)
  }
  const cancel = () => {
    setText(null)
    preview.reset()
    if (fileRef.current) fileRef.current.value = ''
  }
  const changes = preview.data?.changes

  return (
    <section className="policy-transfer" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} style={{ margin: 0 }}>
        Export and import
      </h3>
      <div className="form-actions" style={{ justifyContent: 'flex-start' }}>
        <button type="button" className="button" onClick={() => void exportPolicy()} disabled={exporter.isPending || saveFile.isPending}>
          Export policy
        </button>
        <label className="button">
          Import policy…
          <input
            ref={fileRef}
            type="file"
            accept="application/json,.json"
            className="sr-only"
            aria-label="Import policy file"
            onChange={(e) => void pick(e.target.files?.[0])}
          />
        </label>
      </div>
      <p role="status" className="muted" style={{ margin: 0 }}>
        {note}
      </p>
      <ErrorCallout error={exporter.error} />
      <ErrorCallout error={preview.error} />
      {text !== null && changes && (
        <div className="policy-preview" role="region" aria-label="Import preview">
          {changes.length === 0 ? (
            <p style={{ margin: 0 }}>{fileName} holds the policy already in force: importing it changes nothing.</p>
          ) : (
            <>
              <p style={{ margin: 0 }}>
                Importing {fileName} changes {changes.length === 1 ? 'this rule' : `these ${changes.length} rules`}:
              </p>
              <table className="radar-table">
                <thead>
                  <tr>
                    <th scope="col">Environment</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Now</th>
                    <th scope="col">After import</th>
                  </tr>
                </thead>
                <tbody>
                  {changes.map((c) => (
                    <tr key={`${c.environment}-${c.rule}`}>
                      <td>
                        <EnvBadge env={c.environment} />
                      </td>
                      <td>{RULE_LABEL[c.rule]}</td>
                      <td>{c.before}</td>
                      <td>{c.after}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <ErrorCallout error={importer.error} />
          <div className="form-actions">
            <button type="button" className="button" onClick={cancel} disabled={importer.isPending}>
              Cancel import
            </button>
            <button
              type="button"
              className="button primary"
              disabled={importer.isPending || changes.length === 0}
              onClick={() => importer.mutate(text, { onSuccess: onImported })}
            >
              Apply import
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
