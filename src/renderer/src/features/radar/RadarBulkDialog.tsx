import { useEffect, useId, useMemo, useState, type FormEvent } from 'react'
import { ENVIRONMENTS, type TenantView } from '../../../../shared/tenants'
import { useUi, type AcrossItem } from '../../lib/store'
import { ConfirmWrite, TYPE_COUNT_LABEL, typedBack } from '../../ui/ConfirmWrite'
import { useNow } from '../../lib/use-now'
import { Dialog } from '../../ui/Dialog'
import { EnvBadge } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { BulkJobFooter, BulkJobProgress, BulkStopRunning, skippedCount, useBulkAction, useBulkJob } from '../bulk'
import { ReasonField, reasonReady, reasonToSend } from '../journal'
import { useBulkPreview, useStartRevokeAcross } from './queries'
import { plural } from './words'
import { FormActions } from '../../ui/FormActions'
import { LockedTenants } from './LockedTenants'
import { confirmMode } from '../protection'

/**
 * "Revoke selected" across tenants: main's preview (count per tenant, every production tenant by
 * name) with the keys themselves under each tenant, the count typed back, then one job whose
 * tenants are each paced by their own headroom.
 */
export function RadarBulkDialog({ items, tenants }: { items: AcrossItem[]; tenants: readonly TenantView[] }) {
  const onClose = () => useUi.getState().closeDialog()
  const envOf = new Map(tenants.map((t) => [t.id, t.environment]))
  const selectedTenants = [...new Map(items.map((i) => [i.tenant, { label: i.tenantLabel, env: envOf.get(i.tenant) }])).values()]
  const environments = ENVIRONMENTS.filter((e) => selectedTenants.some((t) => t.env === e))
  const levelOf = new Map(tenants.map((t) => [t.id, t.level]))
  const keysOf = useMemo(() => {
    const m = new Map<string, AcrossItem[]>()
    for (const i of items) m.set(i.tenant, [...(m.get(i.tenant) ?? []), i])
    return m
  }, [items])
  const summaryId = useId()
  const now = useNow(250)
  const preview = useBulkPreview()
  const start = useStartRevokeAcross()
  const [jobId, setJobId] = useState<string | null>(null)
  const job = useBulkJob(jobId)
  const act = useBulkAction(jobId)
  const [typed, setTyped] = useState('')
  const [reason, setReason] = useState('')
  const pairs = items.map((i) => ({ tenant: i.tenant, id: i.id }))
  const previewMutate = preview.mutate

  useEffect(() => {
    previewMutate(items.map((i) => ({ tenant: i.tenant, id: i.id })))
  }, [items, previewMutate])

  const p = preview.data
  // Locked tenants (read-only, not unlocked) are skipped and named; main would refuse them, so the
  // title counts only the tenants the revoke reaches.
  const locked = (p?.tenants ?? []).filter((t) => t.locked)
  const lockedIds = new Set(locked.map((t) => t.tenant))
  const reached = p ? p.tenants.filter((t) => !t.locked).map((t) => ({ label: t.label })) : selectedTenants
  const title =
    reached.length === 0
      ? 'Revoke selected keys'
      : `Revoke selected keys in ${reached.length === 1 ? reached[0]!.label : `${reached.length} tenants`}`

  const data = job.data
  if (!data) {
    const sendable = pairs.filter((x) => !lockedIds.has(x.tenant))
    const n = p ? p.total - locked.reduce((sum, t) => sum + t.count, 0) : 0
    // Only a selection wholly within Open tenants is confirmed by one button; any Protected or
    // unlocked Read-only tenant in it asks for the count typed back.
    const byButton = p !== undefined && p.tenants.every((t) => t.locked || confirmMode(levelOf.get(t.tenant) ?? 'protected') === 'button')
    const typeBack = byButton ? undefined : { expected: String(n), value: typed, onChange: setTyped }
    const matches = n > 0 && typedBack(typeBack) && reasonReady(reason, p?.reasonRequired === true)
    const submit = (e: FormEvent) => {
      e.preventDefault()
      if (!matches || start.isPending) return
      start.mutate({ items: sendable, reason: reasonToSend(reason) }, { onSuccess: (j) => setJobId(j.jobId) })
    }
    return (
      <Dialog title={title} environments={environments} onClose={onClose} tone="danger" wide describedBy={summaryId}>
        <form className="form" onSubmit={submit} noValidate>
          {preview.isPending && <p role="status">Checking the selection…</p>}
          <ErrorCallout error={preview.error} />
          {p && (
            <>
              <div className="callout callout-danger" id={summaryId}>
                <p style={{ margin: 0 }}>
                  Revoke <strong>{plural(n, 'key', 'keys')}</strong> across {plural(p.tenants.length - locked.length, 'tenant', 'tenants')}.
                </p>
                {p.productionLabels.length > 0 && (
                  <p style={{ margin: '6px 0 0' }}>
                    <strong className="env-production">PRODUCTION</strong> tenants: <strong>{p.productionLabels.join(', ')}</strong>.
                  </p>
                )}
                <p style={{ margin: '6px 0 0' }}>Revocation is immediate and permanent: services using these keys will be refused at once.</p>
              </div>
              {/* Every key, under its tenant: a selection made with "Select all keys shown" is read before it is revoked. */}
              <ul className="bulk-list bulk-across" aria-label="Keys per tenant" tabIndex={0}>
                {p.tenants.map((t) => (
                  <li key={t.tenant}>
                    <span id={`${summaryId}-${t.tenant}`}>
                      <strong>{t.label}</strong> <EnvBadge env={t.environment} compact /> — {plural(t.count, 'key', 'keys')}
                      {t.locked && ' (skipped: read-only)'}
                    </span>
                    <ul aria-labelledby={`${summaryId}-${t.tenant}`}>
                      {(keysOf.get(t.tenant) ?? []).map((k) => (
                        <li key={k.id}>
                          {k.name} {k.preview && <code className="muted">{k.preview}</code>}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
              {locked.length > 0 && <LockedTenants tenants={locked} onUnlocked={() => previewMutate(pairs)} />}
            </>
          )}
          {p && n > 0 ? (
            <ConfirmWrite
              verb={`Revoke ${plural(n, 'key', 'keys')}`}
              tenants={p.tenants.filter((t) => !t.locked)}
              typeBack={typeBack}
              typeBackLabel={TYPE_COUNT_LABEL}
              before={
                <>
                  <ReasonField value={reason} onChange={setReason} required={p.reasonRequired} error={start.error} disabled={start.isPending} />
                  <ErrorCallout error={start.error} />
                </>
              }
              ready={reasonReady(reason, p.reasonRequired)}
              pending={start.isPending}
              pendingLabel="Starting…"
              onCancel={onClose}
            />
          ) : (
            <FormActions onCancel={onClose} />
          )}
        </form>
      </Dialog>
    )
  }

  const byKey = new Map(items.map((i) => [`${i.tenant}\n${i.id}`, i]))
  const labelOf = new Map(items.map((i) => [i.tenant, i.tenantLabel]))
  const skipped = skippedCount(data)
  const secondsLeft = (until: number | null) => (until !== null && until > now ? Math.ceil((until - now) / 1000) : null)
  return (
    <Dialog title={title} environments={environments} onClose={onClose} tone="danger" wide>
      <div className="form">
        <BulkJobProgress job={data} keyOf={(r) => byKey.get(`${r.tenant}\n${r.id}`)} tenantOf={(t) => labelOf.get(t) ?? t}>
          <ul className="bulk-list" aria-label="Progress per tenant">
            {data.perTenant.map((t) => {
              const wait = data.finished ? null : secondsLeft(t.waitingUntil)
              return (
                <li key={t.tenant}>
                  <strong>{labelOf.get(t.tenant) ?? t.tenant}</strong>: {t.revoked} of {t.total} revoked
                  {t.failed > 0 && `, ${t.failed} failed`}
                  {wait !== null &&
                    (t.waitingReason === 'rate-limited'
                      ? ` — rate limited, resuming in ${wait} s`
                      : ` — waiting for the rate-limit window (${wait} s)`)}
                </li>
              )
            })}
          </ul>
          <BulkStopRunning
            job={data}
            act={act}
            hint="You can close this dialog: the revocation carries on in the background, each tenant at its own pace."
          />
        </BulkJobProgress>
        <ErrorCallout error={job.error} />
        <ErrorCallout error={act.error} />
        <BulkJobFooter job={data} skipped={skipped} act={act} onClose={onClose} />
      </div>
    </Dialog>
  )
}
