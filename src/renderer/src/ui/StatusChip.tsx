import type { KeyStatus } from '../../../shared/key-view'

export const STATUS_LABEL: Record<KeyStatus, string> = { active: 'Active', expiring: 'Expiring', expired: 'Expired', revoked: 'Revoked' }

/** A key's status as a chip, with "rotation pending" while its replacement waits. */
export function StatusChip({ status, pending }: { status: KeyStatus; pending?: boolean }) {
  return (
    <span className={`chip status-chip status-${status}`}>
      {STATUS_LABEL[status]}
      {pending && status !== 'revoked' ? ' · rotation pending' : ''}
    </span>
  )
}
