import type { OutsideChange } from '../../../../shared/radar'
import { Time } from '../../ui/Time'

/** " by ops-console 3 hours ago": who made a change outside KeyDesk (MeshQu's created_by / revoked_by) and when. */
export function OutsideWho({ change }: { change: OutsideChange }) {
  const who = change.actorName ?? (change.actor ? `key ${change.actor.slice(0, 8)}…` : null)
  return (
    <>
      {who && (
        <>
          {' by '}
          <span title={change.actor ?? undefined}>{who}</span>
        </>
      )}
      {change.changedAt && (
        <>
          {' '}
          <Time value={change.changedAt} />
        </>
      )}
    </>
  )
}
