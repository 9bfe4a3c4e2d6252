import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { get } from 'react-hook-form'
import { DEFAULT_RADAR_RULES, RADAR_DAYS_MAX, RadarSettingsSchema, type RadarSettings } from '../../../../shared/radar'
import { ENVIRONMENTS } from '../../../../shared/tenants'
import { useSchemaForm } from '../../lib/schema-form'
import { useUi } from '../../lib/store'
import { SettingsActions } from '../../ui/SettingsActions'
import { Dialog } from '../../ui/Dialog'
import { EnvBadge } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { FormSummary } from '../../ui/FormSummary'
import { useSettings } from '../../lib/settings'
import { changedRules, DAYS_FIELDS, fieldName, RADAR_FIELD_LABELS, radarFieldOf, SWITCH_FIELDS } from './radar-settings-form'
import { useSaveRadarSettings } from './queries'
import { PolicyPanel } from '../policy'

const TABS = [
  { id: 'thresholds', label: 'Thresholds' },
  { id: 'policy', label: 'Policy' }
] as const
type Tab = (typeof TABS)[number]['id']

/**
 * "Radar settings…": Thresholds (the findings and expiry notifications per environment,
 * settings.json's `radar`) and Policy (the fleet policy, kept in the encrypted store).
 */
export function RadarSettingsDialog({ initialTab = 'thresholds' }: { initialTab?: Tab }) {
  const close = () => useUi.getState().closeDialog()
  const settings = useSettings()
  const id = useId()
  const [tab, setTab] = useState<Tab>(initialTab)
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ thresholds: null, policy: null })
  // Arrow keys move between the tabs (the WAI-ARIA tabs pattern); Tab goes into the panel.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return
    e.preventDefault()
    const next = TABS[(TABS.findIndex((t) => t.id === tab) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!.id
    setTab(next)
    tabRefs.current[next]?.focus()
  }
  return (
    <Dialog title="Radar settings" onClose={close} wide>
      <div role="tablist" aria-label="Radar settings" className="tabs" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${id}-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel-${tab}`} aria-labelledby={`${id}-tab-${tab}`}>
        {tab === 'thresholds' && (
          <>
            {settings.isPending && <p role="status">Reading the settings…</p>}
            <ErrorCallout error={settings.error} />
            {settings.data && <RadarSettingsForm saved={settings.data.radar} onDone={close} />}
          </>
        )}
        {tab === 'policy' && <PolicyPanel onDone={close} />}
      </div>
    </Dialog>
  )
}

function RadarSettingsForm({ saved, onDone }: { saved: RadarSettings; onDone: () => void }) {
  const id = useId()
  const save = useSaveRadarSettings()
  const { form, showServerError } = useSchemaForm(RadarSettingsSchema, saved, radarFieldOf)
  const { register, handleSubmit, formState, setValue } = form
  // Read while rendering: react-hook-form tracks only the parts of formState a render reads.
  const { errors, dirtyFields } = formState
  // The settings may arrive after the dialog opened (and moved focus in): the first field takes it.
  useEffect(() => form.setFocus(`${ENVIRONMENTS[0]}.${DAYS_FIELDS[0]!.name}`), [form])

  const submit = handleSubmit((values) => {
    const patch = changedRules(values, dirtyFields)
    if (!patch) return onDone()
    save.mutate(patch, { onSuccess: onDone, onError: showServerError })
  })
  // Fills the form with the defaults; nothing is saved until Save.
  const restoreDefaults = () => {
    for (const env of ENVIRONMENTS)
      for (const f of [...DAYS_FIELDS, ...SWITCH_FIELDS])
        setValue(`${env}.${f.name}`, DEFAULT_RADAR_RULES[env][f.name], { shouldDirty: true, shouldValidate: formState.isSubmitted })
  }
  const errorOf = (path: string): string | undefined => (get(errors, path) as { message?: string } | undefined)?.message

  return (
    <form className="form" onSubmit={submit} noValidate>
      <p className="muted" style={{ margin: 0 }}>
        What the radar counts as a finding, and which environments get expiry notifications. Production is stricter by default. The expiry windows (1,
        7 and 30 days) are fixed.
      </p>
      <table className="radar-table radar-settings">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            {ENVIRONMENTS.map((env) => (
              <th scope="col" key={env}>
                <EnvBadge env={env} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {DAYS_FIELDS.map((f) => (
            <tr key={f.name}>
              <th scope="row">
                {f.label}
                <span className="hint">{f.hint}</span>
              </th>
              {ENVIRONMENTS.map((env) => {
                const path = `${env}.${f.name}` as const
                const error = errorOf(path)
                const errorId = `${id}-${env}-${f.name}-error`
                return (
                  <td key={env}>
                    <input
                      type="number"
                      inputMode="numeric"
                      min={1}
                      max={RADAR_DAYS_MAX[f.name]}
                      step={1}
                      aria-label={fieldName(env, f.label)}
                      aria-invalid={!!error}
                      aria-describedby={error ? errorId : undefined}
                      disabled={save.isPending}
                      {...register(path, { valueAsNumber: true })}
                    />
                    {error && (
                      <span id={errorId} className="field-error">
                        {error}
                      </span>
                    )}
                  </td>
                )
              })}
            </tr>
          ))}
          {SWITCH_FIELDS.map((f) => (
            <tr key={f.name}>
              <th scope="row">
                {f.label}
                <span className="hint">{f.hint}</span>
              </th>
              {ENVIRONMENTS.map((env) => (
                <td key={env}>
                  <input
                    type="checkbox"
                    role={f.switch ? 'switch' : undefined}
                    aria-label={fieldName(env, f.label)}
                    disabled={save.isPending}
                    {...register(`${env}.${f.name}`)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <FormSummary error={save.error} errors={errors} labels={RADAR_FIELD_LABELS} />
      <SettingsActions onRestore={restoreDefaults} onCancel={onDone} saving={save.isPending} />
    </form>
  )
}
