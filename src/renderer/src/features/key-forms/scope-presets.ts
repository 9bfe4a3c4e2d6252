import { KEY_NAME_MAX } from '../../../../shared/meshqu'
import { SCOPE_INFO, SCOPES, type Scope } from '../../../../shared/scopes'
import { SCOPE_PRESETS } from '../../../../shared/scope-presets'

/**
 * Pure rules behind the create and rotate dialogs: scope presets (least privilege first), expiry
 * presets and rotation names. Validation itself is the shared create-key schema (key-form.ts).
 */

export type { ScopePreset } from '../../../../shared/scope-presets'
export { matchesPreset } from '../../../../shared/scope-presets'
export const scopePresets = SCOPE_PRESETS

export type ExpiryPresetId = '7d' | '30d' | '90d' | '1y' | 'date' | 'never'

export interface ExpiryPreset {
  id: ExpiryPresetId
  label: string
}

export const expiryPresets: readonly ExpiryPreset[] = [
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: '90d', label: '90 days' },
  { id: '1y', label: '1 year' },
  { id: 'date', label: 'On a date' },
  { id: 'never', label: 'Never' }
]

export const DEFAULT_EXPIRY: ExpiryPresetId = '90d'

const DAY_MS = 86_400_000
const PRESET_DAYS: Partial<Record<ExpiryPresetId, number>> = { '7d': 7, '30d': 30, '90d': 90 }
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The expires_at to send for a preset, as an ISO time; null for "never".
 * A chosen date means "until the end of that day, UTC". Returns undefined when "a date" is chosen
 * but no valid date (YYYY-MM-DD) was given, which the form reports.
 */
export function expiryFrom(preset: ExpiryPresetId, now: number, date?: string): string | null | undefined {
  if (preset === 'never') return null
  if (preset === '1y') {
    const d = new Date(now)
    d.setUTCFullYear(d.getUTCFullYear() + 1)
    return d.toISOString()
  }
  const days = PRESET_DAYS[preset]
  if (days !== undefined) return new Date(now + days * DAY_MS).toISOString()
  const m = DATE_ONLY.exec(date?.trim() ?? '')
  if (!m) return undefined
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = Date.UTC(y, mo - 1, d, 23, 59, 59)
  const back = new Date(t)
  // Reject dates that roll over (2026-02-30).
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined
  return back.toISOString()
}

/** The date input's `min`: today (UTC), since a date means its end of day. */
export function minExpiryDate(now: number): string {
  return new Date(now).toISOString().slice(0, 10)
}

/** Chosen privileged scopes (api-keys:admin, audit:admin), for the least-privilege warning. */
export function privilegedScopes(scopes: readonly Scope[]): Scope[] {
  return scopes.filter((s) => SCOPE_INFO[s].privileged)
}

/** Scopes in the canonical SCOPES order, without repeats. */
export function orderedScopes(scopes: Iterable<Scope>): Scope[] {
  const set = new Set(scopes)
  return SCOPES.filter((s) => set.has(s))
}

/** `${name}-rotated-YYYYMMDD` (UTC), replacing an earlier rotation stamp, within the name limit. */
export function rotatedName(name: string, now: number, taken: ReadonlySet<string> = new Set()): string {
  return proposeRotatedName(name, now, taken).name
}

/**
 * The proposed replacement name: never one a key of the tenant already has (rotating a replacement
 * the same day would propose its own name; `-2`, `-3`… then), and `shortened` when the base had
 * to be cut to fit KEY_NAME_MAX — the form says so, a name is never cut silently.
 */
export function proposeRotatedName(name: string, now: number, taken: ReadonlySet<string>): { name: string; shortened: boolean } {
  const stamp = new Date(now).toISOString().slice(0, 10).replace(/-/g, '')
  const base = name.trim().replace(/-rotated-\d{8}(-\d+)?$/, '')
  for (let n = 1; ; n++) {
    const suffix = `-rotated-${stamp}${n > 1 ? `-${n}` : ''}`
    const room = KEY_NAME_MAX - suffix.length
    const candidate = `${base.slice(0, room)}${suffix}`
    if (!taken.has(candidate)) return { name: candidate, shortened: base.length > room }
  }
}
