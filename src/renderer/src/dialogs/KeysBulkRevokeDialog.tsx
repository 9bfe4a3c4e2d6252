import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import type { BulkJob } from '../../../shared/contract'
import type { TenantView } from '../../../shared/tenants'
import { Dialog } from '../components/Dialog'
import { api, appErrorOf, unwrap } from '../lib/api'
import { describeError } from '../lib/errors'
import { patchKeys, useKeys } from '../lib/queries'
import { useUi } from '../lib/store'
import { useNow } from '../lib/use-now'

/** Bulk revocation: an exact summary, the count typed back, then a paced, cancellable job. */
export function BulkRevokeDialog({ tenant, keyIds }: { tenant: TenantView; keyIds: string[] }) {
  const close = useUi((s) => s.closeDialog)
  const setChecked = useUi((s) => s.setChecked)
  const qc = useQueryClient()
  const all = useKeys(tenant.id).data?.data.keys
  const byId = useMemo(() => new Map((all ?? []).map((k) => [k.id, k])), [all])
  // Never revoke KeyDesk's own admin key for this tenant in bulk; that is a deliberate, single act.
  const targets = useMemo(
    () => keyIds.map((id) => byId.get(id)).filter((k) => k && k.revoked_at === null && k.key_preview !== tenant.adminKeyPreview),
    [keyIds, byId, tenant.adminKeyPreview]
  )
  const [typed, setTyped] = useState('')
  const [jobId, setJobId] = useState<string | null>(null)
  const now = useNow(500)
  const patched = useRef(new Set<string>())

  const start = useMutation({
    mutationFn: async () => unwrap(await api().bulk.revoke({ tenant: tenant.id, ids: targets.map((k) => k!.id) })),
    onSuccess: (job) => setJobId(job.jobId)
  })
  const job = useQuery({
    queryKey: ['bulk', jobId],
    enabled: jobId !== null,
    queryFn: async () => unwrap(await api().bulk.status({ jobId: jobId! })),
    refetchInterval: (q) => (q.state.data?.finished ? false : 250)
  })
  const act = useMutation({
    mutationFn: async (what: 'cancel' | 'retry') =>
      unwrap(what === 'cancel' ? await api().bulk.cancel({ jobId: jobId! }) : await api().bulk.retryFailed({ jobId: jobId! })),
    onSuccess: () => void job.refetch()
  })

  // Reflect each revocation in the table as it happens, without re-listing.
  const data: BulkJob | undefined = job.data
  useEffect(() => {
    if (!data) return
    const done = data.results.filter((r) => r.state === 'revoked' && !patched.current.has(r.id)).map((r) => r.id)
    if (done.length) {
      for (const id of done) patched.current.add(id)
      const at = new Date().toISOString()
      const ids = new Set(done)
      patchKeys(qc, tenant.id, (keys) => keys.map((k) => (ids.has(k.id) ? { ...k, revoked_at: k.revoked_at ?? at, is_active: false } : k)))
    }
    if (data.finished) setChecked(new Set())
  }, [data, qc, tenant.id, setChecked])

  const n = targets.length
  const prod = tenant.environment === 'production'

  if (!data) {
    const submit = (e: FormEvent) => {
      e.preventDefault()
      if (typed === String(n) && n > 0) start.mutate()
    }
    return (
      <Dialog title="Revoke selected keys" onClose={close} tone="danger" wide>
        <form className="form" onSubmit={submit}>
          <div className="callout callout-danger">
            Revoke <strong>{n}</strong> key{n === 1 ? '' : 's'} in tenant <strong>{tenant.label}</strong>
            {prod && <strong> — PRODUCTION</strong>}. Revocation is immediate and permanent.
            {keyIds.length > n && ` ${keyIds.length - n} selected key(s) are left out: already revoked, or KeyDesk's own admin key.`}
          </div>
          <ul className="bulk-list" aria-label="Keys to revoke">
            {targets.map((k) => (
              <li key={k!.id}>
                {k!.name} <code className="muted">{k!.key_preview}</code>
              </li>
            ))}
          </ul>
          <label className="field">
            <span>Type the number of keys to confirm</span>
            <input type="text" inputMode="numeric" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus placeholder={String(n)} />
          </label>
          {start.error && (
            <p className="callout callout-danger" role="alert">
              {describeError(appErrorOf(start.error))}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="button danger" disabled={typed !== String(n) || n === 0 || start.isPending}>
              Revoke {n} keys
            </button>
          </div>
        </form>
      </Dialog>
    )
  }

  const done = data.revoked + data.failed
  const waiting = data.waitingUntil && data.waitingUntil > now ? Math.ceil((data.waitingUntil - now) / 1000) : null
  const results = [...data.results].sort((a, b) => Number(b.state === 'failed') - Number(a.state === 'failed'))
  return (
    <Dialog title="Revoke selected keys" onClose={close} tone="danger" wide>
      <progress className="progress" aria-label="Revocation progress" value={done} max={data.total} />
      <p role="status">
        {data.revoked} of {data.total} revoked
        {data.failed > 0 && `, ${data.failed} failed`}
        {data.cancelled && ', cancelled'}
        {data.finished ? '.' : '…'}
      </p>
      {waiting !== null && !data.finished && (
        <p className="callout callout-warn" role="status">
          {data.waitingReason === 'rate-limited' ? `Rate limited — resuming in ${waiting} s` : `Waiting for the rate-limit window (${waiting} s)`}
        </p>
      )}
      {!data.finished && <p className="hint muted">You can close this window; the revocation carries on and the list updates as keys are revoked.</p>}
      <ul className="bulk-list" aria-label="Results">
        {results.map((r) => {
          const k = byId.get(r.id)
          return (
            <li key={r.id} className={`result-${r.state}`}>
              <strong>{r.state}</strong> {k?.name ?? r.id} {k && <code className="muted">{k.key_preview}</code>}
              {r.message && <span className="muted"> — {r.message}</span>}
            </li>
          )
        })}
      </ul>
      <div className="form-actions">
        {!data.finished && (
          <button type="button" className="button" onClick={() => act.mutate('cancel')} disabled={act.isPending}>
            Cancel
          </button>
        )}
        {data.finished && data.failed + data.results.filter((r) => r.state === 'skipped').length > 0 && (
          <button type="button" className="button danger" onClick={() => act.mutate('retry')} disabled={act.isPending}>
            Retry failed
          </button>
        )}
        <button type="button" className="button primary" onClick={close}>
          {data.finished ? 'Done' : 'Close'}
        </button>
      </div>
    </Dialog>
  )
}
