import { useId } from 'react'
import { UNLOCK_MINUTES } from '../../../../shared/tenants'
import { ReasonField } from '../journal'

export type UnlockMinutes = (typeof UNLOCK_MINUTES)[number]

/**
 * What every unlock asks: a reason (kept in the journal with its start and its end) and how long,
 * 5, 15 or 30 minutes. Shared by Unlock writes…, Unlock and revoke, and the locked tenants of a
 * bulk revoke across tenants.
 */
export function UnlockFields({
  reason,
  onReason,
  minutes,
  onMinutes,
  disabled,
  reasonError
}: {
  reason: string
  onReason: (v: string) => void
  minutes: UnlockMinutes
  onMinutes: (m: UnlockMinutes) => void
  disabled?: boolean
  reasonError?: string
}) {
  const id = useId()
  return (
    <>
      <ReasonField
        value={reason}
        onChange={onReason}
        required
        requiredNote="required"
        message={reasonError}
        disabled={disabled}
        hint="Kept in the journal with the start and the end of the unlock."
        placeholder="Why unlock? e.g. incident INC-42"
      />
      <fieldset className="field unlock-minutes">
        <legend>Unlock for</legend>
        {UNLOCK_MINUTES.map((m) => (
          <label key={m} className="radio">
            <input type="radio" name={`${id}-minutes`} checked={minutes === m} onChange={() => onMinutes(m)} disabled={disabled} /> {m} minutes
          </label>
        ))}
        <span className="hint">Ends sooner after 10 minutes without activity, on Lock now, or when KeyDesk quits.</span>
      </fieldset>
    </>
  )
}
