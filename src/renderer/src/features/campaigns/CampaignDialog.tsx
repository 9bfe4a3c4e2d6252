import { useId, useState, type FormEvent } from 'react'
import { CAMPAIGN_DEFAULTS, DEFAULT_NAME_PATTERN, MIN_QUIET_WINDOW_MS } from '../../../../shared/campaigns'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { FormActions } from '../../ui/FormActions'
import { ReasonField, reasonReady, reasonToSend, useReasonRequired } from '../journal'
import { useCampaignsUi, type CampaignPick } from './campaign-store'
import { useStartCampaign } from './queries'
import { plural } from './words'

const H = 3_600_000
const DAY = 24 * H

/**
 * "Rotate selected…": the keys per tenant (production tenants named), the replacements' name
 * pattern and expiry, the quiet window, the deadline, the pacing share and the reason. Starting
 * it opens the hand-over queue.
 */
export function CampaignDialog({ picks }: { picks: CampaignPick[] }) {
  const ui = useCampaignsUi()
  const start = useStartCampaign()
  const summaryId = useId()
  const [pattern, setPattern] = useState(DEFAULT_NAME_PATTERN)
  const [expiryDays, setExpiryDays] = useState(String(CAMPAIGN_DEFAULTS.expiresInDays))
  const [quietHours, setQuietHours] = useState(String(CAMPAIGN_DEFAULTS.quietWindowMs / H))
  const [deadlineDays, setDeadlineDays] = useState(String(CAMPAIGN_DEFAULTS.deadlineMs / DAY))
  const [sharePct, setSharePct] = useState(String(CAMPAIGN_DEFAULTS.pacingShare * 100))
  const [reason, setReason] = useState('')
  const tenants = [...new Map(picks.map((p) => [p.tenant, { label: p.tenantLabel, production: p.production }])).entries()]
  const production = tenants.filter(([, t]) => t.production).map(([, t]) => t.label)
  const reasonRequired = useReasonRequired(production.length > 0)

  const quietMs = Number(quietHours) * H
  const deadlineMs = Number(deadlineDays) * DAY
  const problems: Record<string, string> = {}
  if (!pattern.includes('{name}')) problems.pattern = 'Keep {name} in the pattern'
  if (!(Number(expiryDays) >= 1)) problems.expiry = 'At least 1 day'
  if (!(quietMs >= MIN_QUIET_WINDOW_MS)) problems.quiet = 'At least 1 hour'
  if (!(deadlineMs > quietMs)) problems.deadline = 'Longer than the quiet window'
  if (!(Number(sharePct) >= 1 && Number(sharePct) <= 90)) problems.share = 'Between 1 and 90'
  const ready = Object.keys(problems).length === 0 && reasonReady(reason, reasonRequired)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!ready || start.isPending) return
    start.mutate(
      {
        keys: picks.map((p) => ({ tenant: p.tenant, keyId: p.keyId })),
        namePattern: pattern,
        expiresInDays: Number(expiryDays),
        quietWindowMs: quietMs,
        deadlineMs,
        pacingShare: Number(sharePct) / 100,
        reason: reasonToSend(reason)
      },
      { onSuccess: (r) => ui.openQueue(r.campaign.id, r.skipped) }
    )
  }

  const field = (id: string, label: string, value: string, set: (v: string) => void, hint: string, problem?: string, type = 'number') => (
    <div className="field">
      <label htmlFor={id}>
        <span>{label}</span>
      </label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={!!problem}
        aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ''}`}
      />
      <span id={`${id}-hint`} className="hint">
        {hint}
      </span>
      {problem && (
        <span id={`${id}-error`} className="field-error">
          {problem}
        </span>
      )}
    </div>
  )

  return (
    <Dialog title="Rotate selected keys" onClose={ui.closeDialog} wide describedBy={summaryId}>
      <form className="form" onSubmit={submit} noValidate>
        <div className="callout" id={summaryId}>
          <p style={{ margin: 0 }}>
            Replace <strong>{plural(picks.length, 'key', 'keys')}</strong> in {plural(tenants.length, 'tenant', 'tenants')}. Each old key is revoked
            only once its replacement is in use and the old key has been quiet for the quiet window; at the deadline, what is left is held, never
            revoked.
          </p>
          {production.length > 0 && (
            <p style={{ margin: '6px 0 0' }}>
              <strong className="env-production">PRODUCTION</strong> tenants: <strong>{production.join(', ')}</strong>.
            </p>
          )}
        </div>
        <ul className="campaign-picks" aria-label="Keys per tenant">
          {tenants.map(([id, t]) => (
            <li key={id}>
              <strong>{t.label}</strong>
              {t.production && <span className="env-badge env-production"> PRODUCTION</span>}:{' '}
              {picks
                .filter((p) => p.tenant === id)
                .map((p) => p.name)
                .join(', ')}
            </li>
          ))}
        </ul>
        <div className="campaign-fields">
          {field('campaign-pattern', 'Replacement name', pattern, setPattern, '{name} is the old name, {date} today', problems.pattern, 'text')}
          {field('campaign-expiry', 'Replacements expire after (days)', expiryDays, setExpiryDays, 'The fleet policy applies', problems.expiry)}
          {field('campaign-quiet', 'Quiet window (hours)', quietHours, setQuietHours, 'How long the old key must go unused', problems.quiet)}
          {field('campaign-deadline', 'Deadline (days)', deadlineDays, setDeadlineDays, 'After it, keys still in use are held', problems.deadline)}
          {field('campaign-share', 'Pacing share (%)', sharePct, setSharePct, "Of each tenant's rate-limit headroom", problems.share)}
        </div>
        <ReasonField value={reason} onChange={setReason} required={reasonRequired} error={start.error} />
        <ErrorCallout error={start.error} />
        <FormActions onCancel={ui.closeDialog}>
          <button type="submit" className="button primary" disabled={!ready || start.isPending}>
            Start campaign
          </button>
        </FormActions>
      </form>
    </Dialog>
  )
}
