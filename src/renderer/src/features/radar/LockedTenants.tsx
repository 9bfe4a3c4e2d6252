import { useState } from 'react'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { UnlockFields, useStartUnlock, type UnlockMinutes } from '../protection'
import { plural } from './words'

/**
 * The read-only tenants a bulk revoke across tenants skips, named before it starts, with the
 * offer to unlock them all with one reason (each then shows its own unlock in the banner).
 */
export function LockedTenants({ tenants, onUnlocked }: { tenants: { tenant: string; label: string; count: number }[]; onUnlocked: () => void }) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [minutes, setMinutes] = useState<UnlockMinutes>(15)
  const start = useStartUnlock()
  const names = tenants.map((t) => t.label).join(', ')
  return (
    <section className="callout callout-warn" aria-label="Locked tenants skipped">
      <p style={{ margin: 0 }}>
        Skipped, read-only: <strong>{names}</strong> (
        {plural(
          tenants.reduce((a, t) => a + t.count, 0),
          'key',
          'keys'
        )}
        ). Their keys are not revoked unless you unlock {tenants.length === 1 ? 'it' : 'them'}.
      </p>
      {open ? (
        <>
          <UnlockFields reason={reason} onReason={setReason} minutes={minutes} onMinutes={setMinutes} disabled={start.isPending} />
          <ErrorCallout error={start.error} />
          <button
            type="button"
            className="button"
            disabled={!reason.trim() || start.isPending}
            onClick={() => start.mutate({ tenants: tenants.map((t) => t.tenant), reason, minutes }, { onSuccess: onUnlocked })}
          >
            {start.isPending ? 'Unlocking…' : `Unlock ${names} for ${minutes} minutes`}
          </button>
        </>
      ) : (
        <button type="button" className="button small" onClick={() => setOpen(true)}>
          Unlock {tenants.length === 1 ? names : `these ${tenants.length} tenants`}…
        </button>
      )}
    </section>
  )
}
