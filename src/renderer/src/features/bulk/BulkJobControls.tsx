import type { BulkJob } from '../../../../shared/contract'
import type { useBulkAction } from './queries'

type BulkAction = ReturnType<typeof useBulkAction>

/**
 * While a bulk revoke runs: the dialog may be closed (the job carries on), and stopping it sits
 * here, by the progress, not beside Close in the footer: the two do different things (stop the
 * revocation / hide this dialog while it carries on). One tenant's dialog and the radar's.
 */
export function BulkStopRunning({ job, act, hint }: { job: BulkJob; act: BulkAction; hint: string }) {
  if (job.finished) return null
  return (
    <div className="bulk-running">
      <p className="hint muted" style={{ margin: 0 }}>
        {hint}
      </p>
      <button type="button" className="button" onClick={() => act.mutate('cancel')} disabled={act.isPending || job.cancelled}>
        {job.cancelled ? 'Stopping…' : 'Stop revoking'}
      </button>
    </div>
  )
}

/** The footer of a bulk revoke under way or done: Retry failed (when any failed or were skipped), then Close / Done. */
export function BulkJobFooter({ job, skipped, act, onClose }: { job: BulkJob; skipped: number; act: BulkAction; onClose: () => void }) {
  return (
    <div className="form-actions">
      {job.finished && job.failed + skipped > 0 && (
        <button type="button" className="button danger" onClick={() => act.mutate('retry')} disabled={act.isPending}>
          Retry failed
        </button>
      )}
      <button type="button" className="button primary" onClick={onClose}>
        {job.finished ? 'Done' : 'Close'}
      </button>
    </div>
  )
}
