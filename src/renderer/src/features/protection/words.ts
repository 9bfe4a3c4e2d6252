import type { ProtectionLevel } from '../../../../shared/tenants'

export const LEVEL_LABEL: Record<ProtectionLevel, string> = { open: 'Open', protected: 'Protected', 'read-only': 'Read-only' }

export const LEVEL_HINT: Record<ProtectionLevel, string> = {
  open: 'Destructive writes are confirmed with one button.',
  protected: 'Writes need the typed confirmations (the name, or the count).',
  'read-only': 'No writes until unlocked for a few minutes, with a reason.'
}

/** "4:05" left, from milliseconds. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
