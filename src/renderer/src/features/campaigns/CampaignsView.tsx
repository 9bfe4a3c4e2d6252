import { useId, useState, type FormEvent } from 'react'
import type { Campaign, CampaignKey } from '../../../../shared/campaigns'
import type { TenantView } from '../../../../shared/tenants'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { FormActions } from '../../ui/FormActions'
import { Time } from '../../ui/Time'
import { ReasonField } from '../journal'
import { useCampaignsUi } from './campaign-store'
import { useCampaign, useCampaigns, useCancelCampaign, useExtend, useRecreate, useRevokeAnyway } from './queries'
import { hours, plural, stateText } from './words'

const iso = (ms: number) => new Date(ms).toISOString()

/** The Campaigns view: each campaign, its progress per tenant, and its keys by state. */
export function CampaignsView({ tenants, onBack }: { tenants: readonly TenantView[]; onBack: () => void }) {
  const list = useCampaigns()
  const labelOf = (id: string) => tenants.find((t) => t.id === id)?.label ?? id
  return (
    <section className="radar campaigns" aria-labelledby="campaigns-title">
      <header className="radar-head">
        <h1 id="campaigns-title">Campaigns</h1>
        <button type="button" className="button ghost" onClick={onBack}>
          ← Radar
        </button>
      </header>
      <div className="radar-body">
        {list.isPending && <p role="status">Reading campaigns…</p>}
        <ErrorCallout error={list.error} />
        {list.data && list.data.campaigns.length === 0 && (
          <p role="status">No rotation campaigns yet. Select keys in a radar category and choose Rotate selected….</p>
        )}
        {list.data?.campaigns.map((c) => (
          <CampaignSection key={c.id} campaign={c} labelOf={labelOf} />
        ))}
      </div>
    </section>
  )
}

function CampaignSection({ campaign: c, labelOf }: { campaign: Campaign; labelOf: (id: string) => string }) {
  const detail = useCampaign(c.id)
  const cancel = useCancelCampaign()
  const recreate = useRecreate()
  const openQueue = useCampaignsUi((s) => s.openQueue)
  const [confirmCancel, setConfirmCancel] = useState(false)
  const [acting, setActing] = useState<CampaignKey | null>(null)
  const headingId = useId()
  const running = c.state === 'running'
  return (
    <section className="radar-section campaign" aria-labelledby={headingId}>
      <h2 className="radar-h2" id={headingId}>
        Campaign of <Time value={iso(c.createdAt)} /> <span className="muted">· {c.state === 'running' ? 'running' : c.state}</span>
      </h2>
      <p className="muted" style={{ margin: 0 }}>
        Quiet window {hours(c.quietWindowMs)} h · deadline <Time value={iso(c.deadlineAt)} ahead /> · pacing share {Math.round(c.pacingShare * 100)}%
        {c.reason ? ` · reason: ${c.reason}` : ''}
      </p>
      <table className="radar-table">
        <caption className="sr-only">Progress per tenant</caption>
        <thead>
          <tr>
            <th scope="col">Tenant</th>
            <th scope="col">Revoked</th>
            <th scope="col">Held</th>
          </tr>
        </thead>
        <tbody>
          {c.tenants.map((t) => (
            <tr key={t.tenant}>
              <th scope="row">{labelOf(t.tenant)}</th>
              <td className="num">
                {t.revoked} of {t.total}
              </td>
              <td className="num">{t.held}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {c.notHandedOver > 0 && running && (
        <div className="callout callout-warn">
          <p style={{ margin: 0 }}>
            {plural(c.notHandedOver, 'new key', 'new keys')} not handed over yet. Their plaintext is gone; KeyDesk can create those replacements
            again.
          </p>
          <button
            type="button"
            className="button"
            disabled={recreate.isPending}
            onClick={() => recreate.mutate({ campaignId: c.id }, { onSuccess: () => openQueue(c.id) })}
          >
            Create those again
          </button>
        </div>
      )}
      <ErrorCallout error={recreate.error ?? cancel.error} />
      {detail.data && (
        <table className="radar-table campaign-keys">
          <caption className="sr-only">Keys of this campaign</caption>
          <thead>
            <tr>
              <th scope="col">Tenant</th>
              <th scope="col">Old key</th>
              <th scope="col">Replacement</th>
              <th scope="col">State</th>
              <th scope="col">Evidence</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.data.keys.map((k) => (
              <tr key={k.id}>
                <td>{labelOf(k.tenant)}</td>
                <td>{k.oldName}</td>
                <td>{k.newKeyId ? k.replacementName : <span className="muted">not created yet</span>}</td>
                <td>{stateText(k)}</td>
                <td className="muted">{k.evidence ?? k.lastError ?? ''}</td>
                <td>
                  {k.state === 'held' && (
                    <button
                      type="button"
                      className="button ghost small"
                      onClick={() => setActing(k)}
                      aria-label={`Revoke anyway or extend ${k.oldName}`}
                    >
                      Revoke anyway or extend…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {running && (
        <div className="form-actions" style={{ justifyContent: 'flex-start' }}>
          {confirmCancel ? (
            <>
              <span role="status">Cancel this campaign? Replacements are kept and listed; no old key is revoked by it from now on.</span>
              <button type="button" className="button" onClick={() => setConfirmCancel(false)}>
                Keep it running
              </button>
              <button
                type="button"
                className="button danger"
                onClick={() => cancel.mutate({ campaignId: c.id }, { onSuccess: () => setConfirmCancel(false) })}
              >
                Cancel campaign
              </button>
            </>
          ) : (
            <button type="button" className="button" onClick={() => setConfirmCancel(true)}>
              Cancel campaign…
            </button>
          )}
        </div>
      )}
      {acting && <HeldDialog campaignId={c.id} item={acting} onClose={() => setActing(null)} />}
    </section>
  )
}

/** A held key: Revoke anyway (its name typed back, and a reason) or Extend the watch. */
function HeldDialog({ campaignId, item, onClose }: { campaignId: string; item: CampaignKey; onClose: () => void }) {
  const revoke = useRevokeAnyway()
  const extend = useExtend()
  const [typed, setTyped] = useState('')
  const [reason, setReason] = useState('')
  const [days, setDays] = useState('1')
  const id = useId()
  const ready = typed.trim() === item.oldName && reason.trim().length > 0
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!ready || revoke.isPending) return
    revoke.mutate({ campaignId, keyRowId: item.id, confirm: typed, reason: reason.trim() }, { onSuccess: onClose })
  }
  return (
    <Dialog title={`${stateText(item)}: ${item.oldName}`} onClose={onClose} tone="danger">
      <p style={{ margin: 0 }}>{item.evidence}</p>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-typed`}>
            <span>Type the key's name, {item.oldName}, to revoke it anyway</span>
          </label>
          <input id={`${id}-typed`} type="text" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
        <ReasonField value={reason} onChange={setReason} required error={revoke.error} />
        <ErrorCallout error={revoke.error ?? extend.error} />
        <FormActions
          onCancel={onClose}
          start={
            <span style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <label htmlFor={`${id}-days`}>Extend by (days)</label>
              <input id={`${id}-days`} type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} style={{ width: 72 }} />
              <button
                type="button"
                className="button"
                disabled={!(Number(days) >= 1) || extend.isPending}
                onClick={() => extend.mutate({ campaignId, keyRowId: item.id, byMs: Math.round(Number(days) * 86_400_000) }, { onSuccess: onClose })}
              >
                Extend
              </button>
            </span>
          }
        >
          <button type="submit" className="button danger" disabled={!ready || revoke.isPending}>
            Revoke anyway
          </button>
        </FormActions>
      </form>
    </Dialog>
  )
}
