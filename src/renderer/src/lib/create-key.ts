import { KEY_NAME_MAX } from '../../../shared/meshqu'
import type { Scope } from '../../../shared/scopes'

/** Scope presets for common services (least privilege first). */
export const SCOPE_PRESETS: { id: string; label: string; scopes: Scope[]; description: string }[] = [
  { id: 'evaluate', label: 'Evaluate only', scopes: ['decisions:evaluate'], description: 'A service that asks for decisions (dry-run).' },
  { id: 'record', label: 'Record decisions', scopes: ['decisions:evaluate', 'decisions:write'], description: 'Evaluates and persists decisions.' },
  { id: 'monitor', label: 'Read-only monitoring', scopes: ['policies:read', 'decisions:read', 'alerts:read', 'audit:read'], description: 'Dashboards and monitoring.' },
  { id: 'audit', label: 'Audit reader', scopes: ['audit:read'], description: 'Reads the audit trail.' },
  { id: 'policy', label: 'Policy author', scopes: ['policies:read', 'policies:write'], description: 'Manages policies and groups.' }
]

export type ExpiryPreset = '7d' | '30d' | '90d' | '1y' | 'date' | 'never'
export const EXPIRY_PRESETS: { id: ExpiryPreset; label: string }[] = [
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: '90d', label: '90 days' },
  { id: '1y', label: '1 year' },
  { id: 'date', label: 'On a date' },
  { id: 'never', label: 'Never' }
]

const DAY = 86_400_000
const DAYS: Partial<Record<ExpiryPreset, number>> = { '7d': 7, '30d': 30, '90d': 90, '1y': 365 }

/** The expires_at to send: an ISO time, null for never, or undefined when the date is missing/invalid. */
export function expiryFrom(preset: ExpiryPreset, now: number, date?: string): string | null | undefined {
  if (preset === 'never') return null
  const days = DAYS[preset]
  if (days) return new Date(now + days * DAY).toISOString()
  if (!date) return undefined
  // A chosen date means "until the end of that day", UTC.
  const t = Date.parse(`${date}T23:59:59Z`)
  return Number.isNaN(t) ? undefined : new Date(t).toISOString()
}

/** Mirrors MeshQu's validation (docs/API.md) so mistakes are caught before a request. */
export function validateCreate(name: string, scopes: readonly Scope[], expiresAt: string | null | undefined, now: number): Record<string, string> {
  const errors: Record<string, string> = {}
  const trimmed = name.trim()
  if (!trimmed) errors.name = 'Give the key a name, e.g. the service that will use it.'
  else if (trimmed.length > KEY_NAME_MAX) errors.name = `At most ${KEY_NAME_MAX} characters (now ${trimmed.length}).`
  if (scopes.length === 0) errors.scopes = 'Choose at least one scope.'
  if (expiresAt === undefined) errors.expires_at = 'Choose a valid date.'
  else if (expiresAt !== null && Date.parse(expiresAt) <= now) errors.expires_at = 'The expiry must be in the future.'
  return errors
}

/** Maps server field paths ("key.name", "expires_at") onto the form's field names. */
export function formFieldErrors(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, message] of Object.entries(fields ?? {})) {
    const leaf = path.replace(/^key\./, '').split('.')[0]!
    out[leaf] ??= message
  }
  return out
}

export function suggestedRotationName(name: string, now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 10).replace(/-/g, '')
  const base = name.replace(/-rotated-\d{8}$/, '')
  return `${base}-rotated-${stamp}`.slice(0, KEY_NAME_MAX)
}
