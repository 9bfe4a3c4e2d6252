import type { FieldPath } from 'react-hook-form'
import { RADAR_DAYS_MAX, type RadarRules, type RadarSettings, type RadarSettingsPatch } from '../../../../shared/radar'
import { ENVIRONMENTS, type Environment } from '../../../../shared/tenants'
import { environmentLabel } from '../../ui/EnvBadge'

/*
 * The radar settings form validates with the shared RadarSettingsSchema itself (what main checks
 * again in settings.update), one column per environment: its values are the settings' own shape,
 * so the form has no schema of its own to drift from main's.
 */

type DaysField = keyof typeof RADAR_DAYS_MAX
type SwitchField = Exclude<keyof RadarRules, DaysField>

/** The thresholds in days, in the order shown, with the operator's words for them. */
export const DAYS_FIELDS: readonly { name: DaysField; label: string; hint: string }[] = [
  { name: 'unusedDays', label: 'Unused after (days)', hint: 'Last used at least this many days ago.' },
  { name: 'neverUsedDays', label: 'Never used after (days)', hint: 'Never used, and created at least this many days ago.' },
  { name: 'rotationPendingDays', label: 'Rotation pending after (days)', hint: 'The old key of a rotation kept for later for longer.' }
]

/** The on/off settings; `switch` is one that turns something on or off rather than flags a finding. */
export const SWITCH_FIELDS: readonly { name: SwitchField; label: string; hint: string; switch: boolean }[] = [
  { name: 'flagNoExpiry', label: 'Flag keys without expiry', hint: 'A live key that never expires is a finding.', switch: false },
  { name: 'notifyExpiry', label: 'Expiry notifications', hint: 'Notify 30, 7 and 1 day(s) before keys expire.', switch: true }
]

/** One input's accessible name, also how the error summary names it: "Unused after (days) for Production". */
export const fieldName = (env: Environment, label: string) => `${label} for ${environmentLabel(env)}`

/** Every field's path → its accessible name, in the form's order (for the error summary). */
export const RADAR_FIELD_LABELS: Partial<Record<FieldPath<RadarSettings>, string>> = Object.fromEntries(
  ENVIRONMENTS.flatMap((env) => [...DAYS_FIELDS, ...SWITCH_FIELDS].map((f) => [`${env}.${f.name}`, fieldName(env, f.label)]))
)

/** A reply's field path ("radar.production.unusedDays") → the form's field, or null. */
export function radarFieldOf(path: string): FieldPath<RadarSettings> | null {
  const field = path.replace(/^radar\./, '') as FieldPath<RadarSettings>
  return field in RADAR_FIELD_LABELS ? field : null
}

type Dirty = Partial<Record<Environment, Partial<Record<keyof RadarRules, boolean>>>>

/**
 * Only what the operator changed, as a settings.update patch: main merges it per environment and
 * threshold, so a value changed elsewhere meanwhile (settings.json, another window) is kept.
 * Undefined when nothing changed.
 */
export function changedRules(values: RadarSettings, dirty: Dirty): RadarSettingsPatch | undefined {
  const patch: RadarSettingsPatch = {}
  for (const env of ENVIRONMENTS) {
    const fields = (Object.keys(dirty[env] ?? {}) as (keyof RadarRules)[]).filter((f) => dirty[env]?.[f])
    if (fields.length) patch[env] = Object.fromEntries(fields.map((f) => [f, values[env][f]]))
  }
  return Object.keys(patch).length ? patch : undefined
}
