import type { ReactNode } from 'react'
import type { BulkJob } from '../../../../shared/contract'

type BulkResult = BulkJob['results'][number]

/** Failures first, so they are seen; then what was never sent; then what went through. */
const ORDER: Record<BulkResult['state'], number> = { failed: 0, skipped: 1, pending: 2, revoked: 3 }

/**
 * The job's progress in two colors: revoked keys green, failed ones red. A job where 4 of 9 failed
 * never shows as one full bar of success.
 */
export function BulkProgress({ revoked, failed, total }: { revoked: number; failed: number; total: number }) {
  const pct = (n: number) => `${total > 0 ? (n / total) * 100 : 0}%`
  return (
    <div
      className="bulk-progress"
      role="progressbar"
      aria-label="Revocation progress"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={revoked + failed}
      aria-valuetext={`${revoked} revoked${failed ? `, ${failed} failed` : ''}, of ${total}`}
    >
      <span className="bulk-progress-revoked" style={{ width: pct(revoked) }} />
      <span className="bulk-progress-failed" style={{ width: pct(failed) }} />
    </div>
  )
}

/** The keys of a job that were not revoked and not left pending: failed, or never sent (cancelled). */
export const skippedCount = (job: BulkJob) => job.results.filter((r) => r.state === 'skipped').length

/**
 * A running or finished bulk revocation, as both bulk dialogs show it (the keys view's, one tenant;
 * the radar's, across tenants): the bar, "N of M revoked", what failed or was not sent, then each
 * settled key, failures first. `children` go between the counts and the results (pacing, the
 * per-tenant lines, Stop).
 */
export function BulkJobProgress({
  job,
  keyOf,
  tenantOf,
  children
}: {
  job: BulkJob
  /** Name and preview of a result's key; the id is shown when unknown. */
  keyOf: (r: BulkResult) => { name: string; preview: string | null } | undefined
  /** The tenant's label on each result line, for a job across tenants. */
  tenantOf?: (tenant: string) => string
  children?: ReactNode
}) {
  const skipped = skippedCount(job)
  const results = job.results.filter((r) => r.state !== 'pending').sort((a, b) => ORDER[a.state] - ORDER[b.state])
  return (
    <>
      <BulkProgress revoked={job.revoked} failed={job.failed} total={job.total} />
      <p role="status" style={{ margin: 0 }}>
        {job.revoked} of {job.total} revoked
      </p>
      {(job.failed > 0 || skipped > 0 || job.cancelled) && (
        <p style={{ margin: 0 }} className="muted">
          {[job.failed > 0 && `${job.failed} failed`, skipped > 0 && `${skipped} not sent`, job.cancelled && 'cancelled'].filter(Boolean).join(', ')}
        </p>
      )}
      {children}
      {job.finished && (
        <p role="status" style={{ margin: 0 }}>
          {job.failed > 0 || skipped > 0 ? 'Finished with keys left unrevoked; see below.' : 'Finished.'}
        </p>
      )}
      {results.length > 0 && (
        <ul className="bulk-list" aria-label="Results" tabIndex={0}>
          {results.map((r) => {
            const k = keyOf(r)
            return (
              <li key={`${r.tenant}\n${r.id}`} className={`result-${r.state}`}>
                <strong>{r.state}</strong> {k?.name ?? r.id}
                {k?.preview && (
                  <>
                    {' '}
                    <code className="muted">{k.preview}</code>
                  </>
                )}
                {tenantOf && (
                  <>
                    {' '}
                    <span className="muted">in {tenantOf(r.tenant)}</span>
                  </>
                )}
                {r.message && <span> — {r.message}</span>}
              </li>
            )
          })}
        </ul>
      )}
    </>
  )
}
