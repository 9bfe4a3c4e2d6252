import { useId, useMemo, useState, type FormEvent } from 'react'
import type { TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { useNow } from '../../lib/use-now'
import { Dialog } from '../../ui/Dialog'
import { TenantName } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { ReasonField, reasonReady, reasonToSend, useReasonRequired } from '../journal'
import { useKeys, useWriteBlock, WriteBlocked } from '../keys'
import { confirmMode } from '../protection'
import { BulkJobFooter, BulkStopRunning } from './BulkJobControls'
import { BulkJobProgress, skippedCount } from './BulkJobProgress'

import { planBulkRevoke, type BulkPlan } from './plan'
import { useBulkAction, useBulkJob, useStartBulkRevoke } from './queries'
import { FormActions } from '../../ui/FormActions'
import { ConfirmWrite, TYPE_COUNT_LABEL, typedBack } from '../../ui/ConfirmWrite'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** Bulk revocation: an exact summary, the count typed back, then a paced, cancellable job. */
export function BulkRevokeDialog({ tenant, keyIds }: { tenant: TenantView; keyIds: string[] }) {
  const close = () => useUi.getState().closeDialog()
  const all = useKeys(tenant.id).data?.data.keys
  const byId = useMemo(() => new Map((all ?? []).map((k) => [k.id, k])), [all])
  const now = useNow(250)
  const summaryId = useId()

  const planNow = useNow(60_000)
  const live = useMemo(() => planBulkRevoke(keyIds, byId, tenant, planNow), [keyIds, byId, planNow, tenant])
  // Frozen when the job starts: the list changes under us as keys are revoked.
  const [frozen, setFrozen] = useState<BulkPlan | null>(null)
  const plan = frozen ?? live
  const n = plan.targets.length
  const [typed, setTyped] = useState('')
  const [reason, setReason] = useState('')
  const reasonRequired = useReasonRequired(tenant.environment === 'production')
  const [jobId, setJobId] = useState<string | null>(null)

  const start = useStartBulkRevoke(tenant.id)
  const blocked = useWriteBlock(tenant)
  const job = useBulkJob(jobId)
  const act = useBulkAction(jobId)

  // The keys view applies the results to the table (and keeps doing so if this dialog closes).
  const data = job.data

  const tenantLine = <TenantName tenant={tenant} />

  if (!data) {
    const typeBack = confirmMode(tenant.level) === 'typed' ? { expected: String(n), value: typed, onChange: setTyped } : undefined
    const matches = n > 0 && typedBack(typeBack) && reasonReady(reason, reasonRequired)
    const submit = (e: FormEvent) => {
      e.preventDefault()
      if (matches && !blocked && !start.isPending) {
        const p = plan
        start.mutate(
          { ids: p.targets.map((k) => k.id), reason: reasonToSend(reason) },
          {
            onSuccess: (started) => {
              setFrozen(p)
              setJobId(started.jobId)
            }
          }
        )
      }
    }
    const left: string[] = []
    if (plan.revoked) left.push(`${plural(plan.revoked, 'key is', 'keys are')} already revoked`)
    if (plan.own) left.push(`KeyDesk's own admin key for ${tenant.label} is never revoked in bulk`)
    if (plan.missing) left.push(`${plural(plan.missing, 'key is', 'keys are')} no longer in the list`)
    return (
      <Dialog title="Revoke selected keys" tenant={tenant} onClose={close} tone="danger" wide describedBy={summaryId}>
        <form className="form" onSubmit={submit} noValidate>
          <div className="callout callout-danger" id={summaryId}>
            <p style={{ margin: 0 }}>
              Revoke <strong>{plural(n, 'key', 'keys')}</strong> in tenant {tenantLine}.
            </p>
            <p style={{ margin: '6px 0 0' }}>Revocation is immediate and permanent: services using these keys will be refused at once.</p>
          </div>
          {left.length > 0 && <p className="callout callout-warn">Left out: {left.join('; ')}.</p>}
          {n > 0 ? (
            <ul className="bulk-list" aria-label="Keys to revoke" tabIndex={0}>
              {plan.targets.map((k) => (
                <li key={k.id}>
                  {k.name} <code className="muted">{k.key_preview}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p role="status">Nothing to revoke: none of the selected keys can be revoked.</p>
          )}
          {n > 0 ? (
            <ConfirmWrite
              verb={`Revoke ${plural(n, 'key', 'keys')}`}
              tenants={tenant}
              typeBack={typeBack}
              typeBackLabel={TYPE_COUNT_LABEL}
              before={
                <>
                  <ReasonField value={reason} onChange={setReason} required={reasonRequired} error={start.error} disabled={start.isPending} />
                  <WriteBlocked id={`${summaryId}-blocked`} reason={blocked} />
                  <ErrorCallout error={start.error} />
                </>
              }
              ready={!blocked && reasonReady(reason, reasonRequired)}
              pending={start.isPending}
              pendingLabel="Starting…"
              onCancel={close}
              describedBy={blocked ? `${summaryId}-blocked` : undefined}
            />
          ) : (
            <>
              <WriteBlocked id={`${summaryId}-blocked`} reason={blocked} />
              <FormActions onCancel={close} />
            </>
          )}
        </form>
      </Dialog>
    )
  }

  const skipped = skippedCount(data)
  const waiting = !data.finished && data.waitingUntil !== null && data.waitingUntil > now ? Math.ceil((data.waitingUntil - now) / 1000) : null
  const keyOf = (r: { id: string }) => {
    const k = plan.targets.find((t) => t.id === r.id) ?? byId.get(r.id)
    return k && { name: k.name, preview: k.key_preview }
  }
  return (
    <Dialog title="Revoke selected keys" tenant={tenant} onClose={close} tone="danger" wide>
      <div className="form">
        <p style={{ margin: 0 }}>Tenant {tenantLine}</p>
        <BulkJobProgress job={data} keyOf={keyOf}>
          {waiting !== null && (
            <p className="callout callout-warn" role="status">
              {data.waitingReason === 'rate-limited' ? `Rate limited — resuming in ${waiting} s` : `Waiting for the rate-limit window (${waiting} s)`}
            </p>
          )}
          <BulkStopRunning
            job={data}
            act={act}
            hint="You can close this dialog: the revocation carries on in the background and the keys list keeps updating as keys are revoked."
          />
        </BulkJobProgress>
        <ErrorCallout error={job.error} />
        <ErrorCallout error={act.error} />
        <BulkJobFooter job={data} skipped={skipped} act={act} onClose={close} />
      </div>
    </Dialog>
  )
}
