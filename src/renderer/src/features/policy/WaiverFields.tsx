import { useId, useState } from 'react'
import { WAIVER_MAX_DAYS, type WaiverInput } from '../../../../shared/policy'

const DAY_MS = 86_400_000
const DURATIONS = [1, 7, 14, WAIVER_MAX_DAYS] as const

export interface WaiverState {
  on: boolean
  reason: string
  days: number
}

export function useWaiver() {
  return useState<WaiverState>({ on: false, reason: '', days: 7 })
}

/** The waiver to send (null when none is asked for), or 'missing-reason' when it cannot be sent yet. */
export function waiverToSend(w: WaiverState, now = Date.now()): WaiverInput | null | 'missing-reason' {
  if (!w.on) return null
  if (!w.reason.trim()) return 'missing-reason'
  return { reason: w.reason.trim(), until: now + w.days * DAY_MS }
}

/**
 * "Allow outside policy with a waiver": a reason and how long (at most 30 days). Main checks both,
 * stores the waiver and journals it; when it lapses the key is an "Outside policy" finding again.
 */
export function WaiverFields({
  value,
  onChange,
  disabled,
  showMissing
}: {
  value: WaiverState
  onChange: (w: WaiverState) => void
  disabled?: boolean
  /** The form was submitted with the waiver on and no reason. */
  showMissing: boolean
}) {
  const id = useId()
  const missing = showMissing && value.on && !value.reason.trim()
  return (
    <fieldset className="field waiver" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="sr-only">Policy waiver</legend>
      <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <input
          type="checkbox"
          checked={value.on}
          disabled={disabled}
          onChange={(e) => onChange({ ...value, on: e.target.checked })}
          style={{ width: 'auto', margin: 0 }}
        />
        <span>Allow outside policy with a waiver</span>
      </label>
      {value.on && (
        <div className="waiver-fields" style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
          <div className="field" style={{ flex: '2 1 16rem' }}>
            <label htmlFor={`${id}-reason`}>Waiver reason</label>
            <input
              id={`${id}-reason`}
              type="text"
              value={value.reason}
              maxLength={500}
              disabled={disabled}
              aria-invalid={missing ? true : undefined}
              aria-describedby={missing ? `${id}-reason-error` : `${id}-hint`}
              onChange={(e) => onChange({ ...value, reason: e.target.value })}
            />
            {missing ? (
              <span className="field-error" id={`${id}-reason-error`}>
                Say why this key may break the policy.
              </span>
            ) : (
              <span className="hint" id={`${id}-hint`}>
                Journaled with the key. When the waiver ends, the radar counts the key as outside policy again.
              </span>
            )}
          </div>
          <label className="field" style={{ flex: '1 1 8rem' }}>
            <span>Waiver lasts</span>
            <select value={value.days} disabled={disabled} onChange={(e) => onChange({ ...value, days: Number(e.target.value) })}>
              {DURATIONS.map((d) => (
                <option key={d} value={d}>
                  {d === 1 ? '1 day' : `${d} days`}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
    </fieldset>
  )
}
